"""The one rate-limiting mechanism of the hub: sliding-window counters in the shared cache.

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
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Used when settings.HUB_RATE_LIMITS does not name the scope.
DEFAULT_LIMIT = (60, 60)


def limit_for(scope):
    """``(requests, seconds)`` allowed per key in ``scope``."""
    return getattr(settings, "HUB_RATE_LIMITS", {}).get(scope, DEFAULT_LIMIT)


def _cache_key(scope, key, period, window):
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:32]
    return f"hub:rl:{scope}:{digest}:{period}:{window}"


def _estimate(previous, current, period, now):
    """Hits in the last ``period`` seconds: this window's, plus the previous window's share that
    still falls inside (a sliding window, so a burst across a window boundary counts in full)."""
    elapsed = (now % period) / period
    return previous * (1 - elapsed) + current


def count(scope, key, *, period=None, now=None):
    """How many hits ``key`` has in the last period of ``scope`` (0 when the cache is down)."""
    period = period or limit_for(scope)[1]
    now = now or time.time()
    window = int(now // period)
    try:
        found = cache.get_many([_cache_key(scope, key, period, window - 1), _cache_key(scope, key, period, window)])
    except Exception:
        return 0
    values = [int(found.get(_cache_key(scope, key, period, w)) or 0) for w in (window - 1, window)]
    return _estimate(values[0], values[1], period, now)


def hit(scope: str, key: str, *, limit: int | None = None, period: int | None = None, now: float | None = None) -> bool:
    """Count one hit of ``key`` in ``scope``; True while it stays within the limit (allowed).

    ``limit`` and ``period`` default to ``settings.HUB_RATE_LIMITS[scope]``. Counters are kept
    per window of ``period`` seconds and weighted into a sliding window; each expires after the
    window that follows it. Fails open: any cache error allows.
    """
    default_limit, default_period = limit_for(scope)
    limit = default_limit if limit is None else limit
    period = default_period if period is None else period
    now = time.time() if now is None else now
    window = int(now // period)
    current_key = _cache_key(scope, key, period, window)
    # Kept to the end of the next window, where it is the "previous" count.
    keep = int(period - now % period + period) + 1
    previous_key = _cache_key(scope, key, period, window - 1)
    try:
        if isinstance(caches["default"], DatabaseCache):
            hits, previous = _count_in_database_cache(current_key, previous_key, keep)
        else:
            hits = _increment(current_key, keep)
            previous = int(cache.get(previous_key) or 0)
    except Exception:  # fail open, the cache backend logs the outage
        logger.debug("rate limit %s not counted: cache unavailable", scope, exc_info=True)
        return True
    return _estimate(previous, hits, period, now) <= limit


def _increment(key, keep):
    """Add one to the counter at ``key``, kept ``keep`` seconds; returns the new count.

    The counter nearly always exists already: one increment, atomic on Redis. Only a window's
    first hit adds it (and when two processes race to add it, the loser increments).
    """
    try:
        return cache.incr(key)
    except ValueError:  # the window's first hit
        if cache.add(key, 1, timeout=keep):
            return 1
        return cache.incr(key)


def _count_in_database_cache(current_key, previous_key, keep):
    """``(hits, previous)`` after counting one hit at ``current_key``, with Django's database cache.

    It has no atomic increment (its ``incr`` is a read and a write, and the write resets the expiry
    to the cache's default): one read of both windows and one write with the counter's own expiry
    cost half the queries. Two processes counting the same key at the same instant may count one
    hit once, as with Django's ``incr``; a limit holds to within that.
    """
    found = cache.get_many([current_key, previous_key])
    hits = int(found.get(current_key) or 0) + 1
    cache.set(current_key, hits, timeout=keep)
    return hits, int(found.get(previous_key) or 0)


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
