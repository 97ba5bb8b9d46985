"""What every public page reads, computed once per page-cache generation and shared by every tag.

``per_generation(key, compute)`` keeps site-wide values and rendered fragments (the Site, the
Locales, the locale homes, the menus, the footer, the supporting organisations, a page's language
links, routes from paths to pages) in this process, keyed by the page cache's *generation*
(``hub.page_cache``). Every visible change moves the generation on (``hub.invalidation``), so an
entry is never read after the change that made it stale, in any process: the same coherence as
the shared page cache, without a cache round trip (a query, with the database cache) per value.
The generation is read at most once per request (``GenerationMiddleware``; the page cache hands
over the one it read). A request that makes a visible change keeps nothing for the rest of its
run (``changed``), and the process forgets what it kept.

Only public, anonymous data goes in: values computed from live, unrestricted pages and snippets,
never from the visitor (user, session, cookies, query string) or a preview. The one exception is
``hub.routing``'s copy of a routed page's own row, restricted pages included: it is what the request
would load from the database, and Wagtail checks the visitor against the page's restrictions on every
request before anything is rendered. Entries are plain data (numbers, strings, tuples, rendered
HTML, a page pickled to bytes), never model instances: threads of one process share them. The store
holds one generation, at most ``MAX_ENTRIES`` entries, and none longer than a cached page
(``_lifetime``: the next events on the home page change with time, not with edits).

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


def changed():
    """A visible change was just made (``hub.invalidation``): this process forgets what it kept, and the
    rest of the current request keeps nothing (it may run inside the transaction of the change, so
    what it computes could be rolled back: only requests after the new generation keep values again)."""
    scope = _scope.get()
    if scope is not None:
        scope.token, scope.read = None, True
    forget()


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
