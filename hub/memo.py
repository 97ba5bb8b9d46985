"""What every public page reads, computed once: per request, and per page-cache generation.

Two memos, one mechanism each:

- ``per_request(request, key, compute)``: a value every template tag of one response shares (the
  active Locale, the locale homes, the page's translations), computed at most once per request.
- ``per_generation(key, compute)``: site-wide values and rendered fragments (the Site, the
  Locales, the menus, the footer, the supporting organisations, routes from paths to pages),
  kept in this process and keyed by the page cache's *generation* (``hub.page_cache``). Every
  visible change moves the generation on (``hub.invalidation``), so an entry is never read after
  the change that made it stale, in any process: the same coherence as the shared page cache,
  without a cache round trip (a query, with the database cache) per fragment. The generation is
  read at most once per request (``GenerationMiddleware``; the page cache hands over the one it read).

Only public, anonymous data goes into ``per_generation``: values computed from live, unrestricted
pages and snippets, never from the visitor (user, session, cookies, query string). Entries are
plain data (numbers, strings, tuples, rendered HTML), never model instances: threads of one
process would share them. The store holds one generation, at most ``MAX_ENTRIES`` entries; a new
generation empties it.

**Cache down:** without a generation (the cache unreachable, or outside a request: tasks, commands)
nothing is kept and every value is computed from the database, as before.
"""

import threading
import time
from contextvars import ContextVar

from django.conf import settings

from hub import page_cache

MAX_ENTRIES = 5_000
_MISSING = object()
_scope = ContextVar("hub_memo_scope", default=None)
_lock = threading.Lock()
_store = {"token": None, "values": {}, "expires": 0.0}


class _Scope:
    """The generation of one request, read on first use (or handed over by the page cache)."""

    __slots__ = ("token", "read")

    def __init__(self, request):
        # The page cache middleware (outside this one) leaves the token it read on the request.
        self.token = getattr(request, page_cache.REQUEST_GENERATION, None)
        self.read = hasattr(request, page_cache.REQUEST_GENERATION)

    def generation(self):
        if not self.read:
            self.read = True
            try:
                self.token = page_cache.generation()
            except Exception:
                self.token = None
        return self.token


def current_generation():
    """This request's generation token, or None (outside a request, or the cache unreachable)."""
    scope = _scope.get()
    return scope.generation() if scope is not None else None


def _lifetime():
    # Time-dependent fragments (the next events) must not outlive a cached page: the page cache's
    # lifetime, or five minutes with the page cache off.
    return getattr(settings, "HUB_PAGE_CACHE_SECONDS", 0) or 300


def peek(key, default=None):
    """The value kept for ``key`` in this request's generation, else ``default``."""
    token = current_generation()
    if token is None:
        return default
    now = time.monotonic()
    with _lock:
        if _store["token"] != token or now >= _store["expires"]:
            _store.update(token=token, values={}, expires=now + _lifetime())
        return _store["values"].get(key, default)


def remember(key, value):
    """Keep ``value`` for ``key`` in this request's generation (nothing without one); returns ``value``."""
    token = current_generation()
    if token is not None:
        with _lock:
            if _store["token"] == token:
                if len(_store["values"]) >= MAX_ENTRIES:
                    _store["values"].clear()
                _store["values"][key] = value
    return value


def per_generation(key, compute):
    """``compute()`` once per generation in this process (see the module docstring); a hashable ``key``."""
    value = peek(key, _MISSING)
    if value is not _MISSING:
        return value
    return remember(key, compute())


def forget():
    """Drop every per-generation value of this process (tests; a new generation does it anyway)."""
    with _lock:
        _store.update(token=None, values={}, expires=0.0)


def per_request(request, key, compute):
    """``compute()`` once for ``request`` (None: every call computes)."""
    if request is None:
        return compute()
    memo = request.__dict__.setdefault("_hub_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class GenerationMiddleware:
    """Open the memo scope of a request (inside the page cache, which hands it the generation it read)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = _scope.set(_Scope(request))
        try:
            return self.get_response(request)
        finally:
            _scope.reset(reset)
