"""Whole-response cache for anonymous visitors of the public, language-prefixed pages.

A hit costs no database query. Keys hold a *generation* token that every visible change moves
on (``hub.invalidation``), so visitors never see stale content after an edit; the token is new
each time (never a counter that could start again at 1), and every key expires, the token too.

**Query strings.** A key holds only the query parameters the page actually reads: while a
response renders, ``request.GET`` records the names looked up (``get``, ``[]``, ``in``,
``getlist``), and those names are stored per path (the *index*). ``?utm=x`` or a hundred junk
parameters map to the same entry as the bare URL; ``?tag=`` or ``?page=`` that a listing reads
get their own entries. A page that goes through every parameter (iterating, ``copy()``,
``urlencode()``, as ``{% querystring %}`` in pagination links does) may echo any of them, so
its key holds them all.

**Downstream caches.** Stored pages leave with ``Cache-Control: max-age=0, must-revalidate``
(browsers and shared caches revalidate; ``ConditionalGetMiddleware`` answers 304 from the
ETag), or with a short ``s-maxage`` when a purging front-end cache is configured
(``WAGTAILFRONTENDCACHE``), since invalidation then purges it too.

**What is never stored:** anything but GET/HEAD, visitors with a session, signed-in users,
non-200 responses, responses that set a cookie or vary on it (forms with a CSRF token),
responses marked private/no-store/no-cache, and views decorated with
``exempt_from_page_cache`` (search, whose results change when the worker updates the index).

**Cache down:** the cache backend fails open (``hub.cache``): no generation means no lookup
and no store, and the page is served from the database.
"""

import hashlib
import logging
import secrets
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "hub:page-cache:generation"
# A lost generation only makes every page miss once; it expires like everything else.
GENERATION_TIMEOUT = 24 * 60 * 60
INDEX_TIMEOUT = 24 * 60 * 60
# In the index: the page goes through every parameter, so every one is part of its key.
ALL_PARAMETERS = "*"
# The request attribute where the middleware leaves the generation it read (``hub.memo`` reuses it).
REQUEST_GENERATION = "_hub_page_cache_generation"


def _token():
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def generation():
    """The current generation token (created on first use), or None when the cache is unreachable."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _token(), GENERATION_TIMEOUT)
        value = cache.get(GENERATION_KEY)
    return value


def new_generation():
    """Make every cached page stale (a new token; old entries are never read again and expire)."""
    cache.set(GENERATION_KEY, _token(), GENERATION_TIMEOUT)


def exempt_from_page_cache(view):
    """Never store this view's responses in the page cache (they may still be revalidated downstream)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.hub_page_cache_exempt = True
        return response

    return wrapped


class RecordingQueryDict(QueryDict):
    """``request.GET`` that remembers which parameter names the page looked up.

    A lookup by name (``get``, ``[]``, ``in``, ``getlist``) records that name; anything that goes
    through every parameter (iterating, ``items()``, ``dict()``, ``copy()``, ``urlencode()``, as
    ``{% querystring %}`` in pagination links does) records them all, since the page may echo them.
    """

    def __init__(self, query_string=None, mutable=False, encoding=None):
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.names_read = set()

    @classmethod
    def recording(cls, original):
        recorder = cls(mutable=True, encoding=original.encoding)
        for key, values in original.lists():
            recorder.setlist(key, values)
        recorder._mutable = False
        recorder.names_read.clear()
        return recorder

    def _read_all(self):
        self.names_read.add(ALL_PARAMETERS)

    def __getitem__(self, key):
        self.names_read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.names_read.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.names_read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.names_read.add(key)
        return super().getlist(key, default)

    def __iter__(self):
        self._read_all()
        return super().__iter__()

    def keys(self):
        self._read_all()
        return super().keys()

    def lists(self):
        self._read_all()
        return super().lists()

    def copy(self):
        """A plain mutable copy, e.g. for ``{% querystring %}`` (pagination links): such a page
        repeats every parameter in its links, so it depends on all of them."""
        self._read_all()
        result = QueryDict(mutable=True, encoding=self.encoding)
        for key, values in super().lists():
            result.setlist(key, list(values))
        return result

    def __deepcopy__(self, memo):
        return self.copy()


def downstream_cache_control(response):
    """Headers that let browsers and shared caches keep a page only as long as it is fresh."""
    shared = getattr(settings, "HUB_SHARED_CACHE_SECONDS", 0) if getattr(settings, "WAGTAILFRONTENDCACHE", None) else 0
    if shared > 0:
        patch_cache_control(response, max_age=0, s_maxage=shared, must_revalidate=True, public=True)
    else:
        patch_cache_control(response, max_age=0, must_revalidate=True, public=True)


def public_prefixes():
    """The paths the cache serves: every language's pages, and the sitemap index and parts (hub.sitemaps)."""
    return (*(f"/{code}/" for code, _name in settings.LANGUAGES), "/sitemap")


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous public page responses (see module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = public_prefixes()

    @staticmethod
    def _index_key(request):
        raw = f"{request.get_host()}|{request.path}"
        return f"hub:page-index:{hashlib.sha256(raw.encode()).hexdigest()}"

    @staticmethod
    def _entry_key(request, token, names):
        if ALL_PARAMETERS in names:
            names = set(names) | set(dict.keys(request.GET))
        params = [(name, request.GET.getlist(name)) for name in sorted(names) if name != ALL_PARAMETERS]
        raw = f"{request.get_host()}|{request.path}|{params!r}"
        return f"hub:page:{token}:{hashlib.sha256(raw.encode()).hexdigest()}"

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
        index_key = self._index_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, index_key])
            token = found.get(GENERATION_KEY) or generation()
            names = found.get(index_key)
            cached = cache.get(self._entry_key(request, token, names)) if token and names is not None else None
        except Exception:
            logger.warning("page cache lookup failed", exc_info=True)
            token = names = cached = None
        setattr(request, REQUEST_GENERATION, token)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        request.GET = recording = RecordingQueryDict.recording(request.GET)
        response = self.get_response(request)
        if self._cacheable(response):
            downstream_cache_control(response)
            if token:
                self._store(request, response, token, names, recording.names_read)
        return response

    def _store(self, request, response, token, names, names_read):
        if hasattr(response, "render") and callable(response.render):
            response.render()
        names_now = set(names or ()) | names_read
        try:
            if names is None or names_now != set(names):
                cache.set(self._index_key(request), sorted(names_now), INDEX_TIMEOUT)
            cache.set(self._entry_key(request, token, names_now), response, settings.HUB_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache store failed", exc_info=True)
            return
        response["X-Cache"] = "miss"

    @staticmethod
    def _cacheable(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(response, "hub_page_cache_exempt", False)
            and "cookie" not in response.get("Vary", "").lower()
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )
