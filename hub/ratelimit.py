"""The one rate-limiting mechanism of the hub: fixed-window counters in the shared cache.

Every limit the hub has (join, login, password reset, search, API, registrations,
subscriptions) calls ``hit(scope, key)``; the limits live in ``settings.HUB_RATE_LIMITS``
(``{scope: (requests, seconds)}``). The counters are in the default cache, which every app
server shares (Redis, or the database cache), so a limit holds however many processes serve the
site. When the cache cannot be reached the limit fails open: visitors are served, and the
outage is logged (once per interval, by ``hub.cache``).

The counted key is hashed, so addresses and e-mail addresses are not stored in the cache.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Used when settings.HUB_RATE_LIMITS does not name the scope.
DEFAULT_LIMIT = (60, 60)


def limit_for(scope):
    """``(requests, seconds)`` allowed per key in ``scope``."""
    return getattr(settings, "HUB_RATE_LIMITS", {}).get(scope, DEFAULT_LIMIT)


def _cache_key(scope, key, period, now):
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:32]
    return f"hub:rl:{scope}:{digest}:{int(now // period)}"


def count(scope, key, *, period=None, now=None):
    """How many hits ``key`` has in the current window of ``scope`` (0 when the cache is down)."""
    period = period or limit_for(scope)[1]
    try:
        return int(cache.get(_cache_key(scope, key, period, now or time.time())) or 0)
    except Exception:
        return 0


def hit(scope: str, key: str, *, limit: int | None = None, period: int | None = None) -> bool:
    """Count one hit of ``key`` in ``scope``; True while it stays within the limit (allowed).

    ``limit`` and ``period`` default to ``settings.HUB_RATE_LIMITS[scope]``. A window is
    ``period`` seconds long and its counter expires with it. Fails open: any cache error allows.
    """
    default_limit, default_period = limit_for(scope)
    limit = default_limit if limit is None else limit
    period = default_period if period is None else period
    cache_key = _cache_key(scope, key, period, time.time())
    try:
        if cache.add(cache_key, 1, timeout=period + 1):
            hits = 1
        else:
            try:
                hits = cache.incr(cache_key)
            except ValueError:  # expired between add and incr
                cache.set(cache_key, 1, timeout=period + 1)
                hits = 1
    except Exception:
        logger.debug("rate limit %s not counted: cache unavailable", scope, exc_info=True)
        return True
    return hits <= limit


def client_address(request):
    """The visitor's IP address, trusting ``settings.PROXY_COUNT`` reverse proxies in front of the app.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the entry that many places from the right; anything further left is
    client-supplied and not trusted. With no trusted proxy (the default, 0), the socket's address
    (REMOTE_ADDR) is the client.
    """
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def too_many_requests(request, retry_after, *, message=None):
    """A translated 429 page with ``Retry-After`` (seconds), never cached.

    Standalone template (no database query), so it can be answered under any load.
    """
    html = render_to_string("429.html", {"message": message, "retry_after": int(retry_after)}, request=request)
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(max(1, int(retry_after)))
    add_never_cache_headers(response)
    return response


class HubRateThrottle:
    """Django REST framework throttle (the public API) on the hub's one rate limiter, scope "api".

    Named in ``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``; it has DRF's throttle interface
    (``allow_request``, ``wait``) without subclassing, so this module needs no DRF import.
    """

    scope = "api"

    def allow_request(self, request, view):
        return hit(self.scope, client_address(request))

    def wait(self):
        return limit_for(self.scope)[1]
