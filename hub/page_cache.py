"""Whole-response cache for anonymous visitors of the public, language-prefixed pages.

A hit costs no database query. Keys hold a generation number that every publish, unpublish,
move or delete of a page, and every change to a snippet or setting, moves on, so visitors never
see stale content after an edit (the short timeout also bounds time-dependent listings such as
upcoming events). Nothing personal is cached: only GET/HEAD from visitors without a session,
and only 200 responses that set no cookie and do not vary on the cookie (forms with a CSRF token
do), and are not marked private or no-store. Previews and the admin are never on these paths.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_response_headers

GENERATION_KEY = "hub:page-cache:generation"


def generation():
    """The current cache generation (created on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def invalidate(**kwargs):
    """Make every cached page stale (signal receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _language_prefixes():
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous public page responses (see module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = _language_prefixes()

    def _key(self, request):
        raw = f"{request.get_host()}|{request.get_full_path()}"
        return f"hub:page:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()}"

    def _applies(self, request):
        seconds = getattr(settings, "HUB_PAGE_CACHE_SECONDS", 0)
        return (
            seconds > 0
            and request.method in {"GET", "HEAD"}
            and request.path.startswith(self.prefixes)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.user.is_authenticated
        )

    def __call__(self, request):
        if not self._applies(request):
            return self.get_response(request)
        key = self._key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self._cacheable(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            patch_response_headers(response, settings.HUB_PAGE_CACHE_SECONDS)
            cache.set(key, response, settings.HUB_PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "cookie" not in response.get("Vary", "").lower()
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )
