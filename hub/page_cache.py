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
non-200 responses, responses that set a cookie or vary on it (forms with a CSRF token), and
responses marked private/no-store/no-cache (a view whose output changes without a visible change
says so with ``Cache-Control: private``).

**Cache down:** the cache backend fails open (``hub.cache``): no generation means no lookup
and no store, and the page is served from the database.

**The hit path** (``CachedPageMiddleware``, first in ``MIDDLEWARE``) does as little as it can: for
a GET or HEAD of a public path without a session cookie it reads the generation and the path's
index in one cache round trip and answers from the stored page before any other middleware runs
(no session, user, locale or CSRF work, no template). A page is stored as it was sent, after
every middleware (security headers, CSP, language, ETag), once as is and once gzip-compressed, so
a hit compresses nothing and answers ``If-None-Match`` with a 304 from the stored ETag. Each
process also keeps the pages of the current generation it served lately (``_LocalPages``, at
most ``HUB_PAGE_CACHE_LOCAL_BYTES``). It serves them without reading the generation again while
the shared cache can prove that nobody has written to it since the last read
(``hub.cache.LeanDatabaseCache.change_marker``: the change bytes of the SQLite file's header,
which every commit rewrites; trusted only when equal before and after the generation was read),
so on the embedded database cache a hot page costs no round trip at all and is still never
stale; on Redis or PostgreSQL, which cannot tell, each hit reads the generation and the index in
one round trip. A hit still writes its request log line (``hub.request_log.log_early_response``).
Under gunicorn, hits are answered even before Django's handler (``PageCacheApplication``).

``AnonymousPageCacheMiddleware`` (lower in the stack, after the session and user are known)
decides what a miss may store and records the query parameters the page reads; the hit
middleware stores what was finally sent.
"""

import gzip
import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from http import HTTPStatus
from typing import NamedTuple

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_path_info, get_script_name
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.http import parse_etags
from django.utils.text import compress_string

from hub import request_log

logger = logging.getLogger(__name__)

GENERATION_KEY = "hub:page-cache:generation"
# A lost generation only makes every page miss once; it expires like everything else.
GENERATION_TIMEOUT = 24 * 60 * 60
INDEX_TIMEOUT = 24 * 60 * 60
# In the index: the page goes through every parameter, so every one is part of its key.
ALL_PARAMETERS = "*"
# The request attribute where the middleware leaves the generation it read (``hub.memo`` reuses it).
REQUEST_GENERATION = "_hub_page_cache_generation"
# Between the two middlewares: what the lookup found (generation, index), and what a miss may store.
LOOKED_UP = "_hub_page_cache_looked_up"
TO_STORE = "_hub_page_cache_names"
# Headers a stored page is kept without: they differ per request or per encoding.
# (Vary and ETag are kept apart: they depend on the encoding sent.)
PER_REQUEST_HEADERS = {"content-length", "content-encoding", "x-request-id", "x-cache", "set-cookie", "vary", "etag"}
# The headers a 304 repeats (as Django's ConditionalGetMiddleware does).
NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "date", "expires", "last-modified", "vary"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Django's GZipMiddleware leaves shorter bodies as they are.
MIN_COMPRESSED_LENGTH = 200


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
    token = _token()
    cache.set(GENERATION_KEY, token, GENERATION_TIMEOUT)
    # This process made the change: its copies move on at once (the next hit reads the
    # generation again, and only then trusts the change marker).
    local_pages.observe(token, None)


# What each thread asks for the change marker: the default cache's ``change_marker`` (or None),
# found once per thread and settings version. Through ``django.core.cache.cache`` (a context
# local) the lookup alone cost more than reading the marker on a hit.
_per_thread = threading.local()


def change_marker():
    """What ``hub.cache.LeanDatabaseCache.change_marker`` says (None: the cache cannot tell)."""
    kept = getattr(_per_thread, "change_marker", None)
    if kept is None or kept[0] != _settings_version:
        kept = _per_thread.change_marker = (
            _settings_version,
            getattr(caches[DEFAULT_CACHE_ALIAS], "change_marker", None),
        )
    return kept[1]() if kept[1] is not None else None


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


def _index_key(request, host):
    raw = f"{request.scheme}|{host}|{request.path}"
    return f"hub:page-index:{hashlib.sha256(raw.encode()).hexdigest()}"


def _entry_key(request, host, token, names):
    if ALL_PARAMETERS in names:
        names = set(names) | set(dict.keys(request.GET))
    params = [(name, request.GET.getlist(name)) for name in sorted(names) if name != ALL_PARAMETERS]
    # The scheme too: a page sent over HTTPS carries headers (HSTS) that one sent over HTTP does not.
    raw = f"{request.scheme}|{host}|{request.path}|{params!r}"
    return f"hub:page:{token}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _local_key(request, host):
    """The key of a page in this process's copies (``_LocalPages``): the URL as it was asked for
    (the query string as sent: the same parameters in another order are another copy)."""
    return (request.scheme, host, request.path, request.META.get("QUERY_STRING", ""))


class StoredPage(NamedTuple):
    """A page as it was sent: status, headers (none that differ per request or per encoding), the
    body, the body gzip-compressed (None when too small to gain), and its ETag without ``W/``."""

    status: int
    headers: tuple
    body: bytes
    gzipped: bytes | None
    etag: str

    @classmethod
    def from_response(cls, response):
        """The page ``response`` carries (after every middleware, possibly already compressed)."""
        content = response.content
        if response.get("Content-Encoding") == "gzip":
            body, gzipped = gzip.decompress(content), content
        else:
            body = content
            gzipped = compress_string(body) if len(body) >= MIN_COMPRESSED_LENGTH else None
        headers = [(name, value) for name, value in response.items() if name.lower() not in PER_REQUEST_HEADERS]
        vary = [part.strip() for part in response.get("Vary", "").split(",") if part.strip()]
        if gzipped is not None and "accept-encoding" not in {part.lower() for part in vary}:
            vary.append("Accept-Encoding")
        if vary:
            headers.append(("Vary", ", ".join(vary)))
        etag = response.get("ETag", "").removeprefix("W/")
        return cls(response.status_code, tuple(headers), body, gzipped, etag)

    @property
    def size(self):
        return len(self.body) + len(self.gzipped or b"")

    def answer(self, request):
        """``(status, headers, body)`` for ``request``: 304 when its ``If-None-Match`` holds the ETag,
        the gzip body when it accepts gzip; headers as ``(name, value)`` pairs, ``X-Cache: hit`` last."""
        meta = request.META
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if if_none_match and self.etag and self.etag in {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}:
            headers = [(name, value) for name, value in self.headers if name.lower() in NOT_MODIFIED_HEADERS]
            return 304, [*headers, ("ETag", self.etag), ("X-Cache", "hit")], b""
        compressed = self.gzipped is not None and ACCEPTS_GZIP.search(meta.get("HTTP_ACCEPT_ENCODING", ""))
        body = self.gzipped if compressed else self.body
        headers = list(self.headers)
        if compressed:
            headers.append(("Content-Encoding", "gzip"))
        if self.etag:
            # As Django's GZipMiddleware does: the compressed bytes are not the identity ones.
            headers.append(("ETag", f"W/{self.etag}" if compressed else self.etag))
        headers += [("Content-Length", str(len(body))), ("X-Cache", "hit")]
        return self.status, headers, body


class _LocalPages:
    """The pages of the current generation this process served lately: an LRU of at most
    ``HUB_PAGE_CACHE_LOCAL_BYTES``, emptied when the generation moves on. ``token`` is the shared
    generation this process last read, and ``marker`` the cache's change marker taken just before
    that read (``observe``): while the cache still gives the same marker, nobody has written to it
    since, so ``token`` is still the generation (``current``)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.token, self.marker, self.pages, self.size = None, None, OrderedDict(), 0

    def observe(self, token, marker):
        """``token`` is the shared generation, read (or set) after ``marker`` was taken."""
        with self.lock:
            if token != self.token:
                self.token, self.pages, self.size = token, OrderedDict(), 0
            self.marker = marker

    def current(self, marker):
        """The generation last observed when ``marker`` proves nothing was written since; else None."""
        if marker is None or marker != self.marker:
            return None
        return self.token

    def get(self, token, key):
        with self.lock:
            if token != self.token:
                return None
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, token, key, page):
        """Keep ``page``, rendered under ``token``; dropped when a newer generation was observed since."""
        budget = getattr(settings, "HUB_PAGE_CACHE_LOCAL_BYTES", 0)
        if page.size > budget // 4:
            return
        with self.lock:
            if token != self.token:
                return
            previous = self.pages.pop(key, None)
            if previous is not None:
                self.size -= previous.size
            self.pages[key] = page
            self.size += page.size
            while self.size > budget:
                _key, dropped = self.pages.popitem(last=False)
                self.size -= dropped.size


local_pages = _LocalPages()


def _public_host(request, prefixes):
    """The host of a GET or HEAD of a public path by a visitor without a session, on an allowed
    host, that needs no redirect to HTTPS (what the page cache may answer); None for anything else."""
    read = _hit_settings()
    if (
        read.seconds <= 0
        or request.method not in {"GET", "HEAD"}
        or not request.path.startswith(prefixes)
        or ("HTTP_COOKIE" in request.META and read.session_cookie in request.COOKIES)
        or (read.ssl_redirect and not request.is_secure())
    ):
        return None
    return _allowed_host(request)


# What ``get_host()`` gave for a request's Host and X-Forwarded-Host headers (None: not allowed).
# It depends on nothing else (with a Host header) but the settings, so each process keeps the
# answers: emptied when a setting changes (tests), and when it holds HOSTS_KEPT of them (a client
# sending a new Host each time costs a validation per request, as without it).
_hosts = {}
HOSTS_KEPT = 256


def _allowed_host(request):
    meta = request.META
    key = (meta.get("HTTP_HOST"), meta.get("HTTP_X_FORWARDED_HOST"))
    host = _hosts.get(key, False)
    if host is not False:
        return host
    try:
        host = request.get_host()
    except DisallowedHost:
        host = None
    if key[0] is not None:  # without a Host header, the server's name and port (and scheme) count too
        if len(_hosts) >= HOSTS_KEPT:
            _hosts.clear()
        _hosts[key] = host
    return host


# Moves on with every setting change (tests): what was kept per thread under other settings is found again.
_settings_version = 0


@receiver(setting_changed)
def _forget_what_settings_decided(**kwargs):
    global _settings_version, _kept_settings
    _hosts.clear()
    _kept_settings = None
    _settings_version += 1


class _HitSettings(NamedTuple):
    """The settings every request's look at the page cache reads (``_hit_settings``)."""

    seconds: int
    session_cookie: str
    ssl_redirect: bool


_kept_settings = None


def _hit_settings():
    """``_HitSettings``, read once per settings version: through ``django.conf.settings`` (a lazy
    object) each read costs more than a dictionary lookup, and a hit made five."""
    global _kept_settings
    kept = _kept_settings
    if kept is None:
        kept = _kept_settings = _HitSettings(
            settings.HUB_PAGE_CACHE_SECONDS, settings.SESSION_COOKIE_NAME, settings.SECURE_SSL_REDIRECT
        )
    return kept


# The status line of each status a hit answers with (``PageCacheApplication``).
_STATUS_LINES = {status: f"{status} {HTTPStatus(status).phrase}" for status in (200, 304)}


class _HitRequest(WSGIRequest):
    """The request a hit is looked up with before Django's handler runs (``PageCacheApplication``):
    a ``WSGIRequest`` with the same path, method, headers, scheme, host and query, built without
    what only a request that reaches Django needs (content type, body stream), and without writing
    the decoded path back into the environ as ``WSGIRequest`` does: on a miss Django's handler
    builds its own request from the environ, and must read ``PATH_INFO`` as the server sent it (a
    path decoded twice is another path, or an error for one outside Latin-1, such as Arabic)."""

    def __init__(self, environ):  # not WSGIRequest.__init__, on purpose (see the docstring)
        script_name = get_script_name(environ)
        path_info = get_path_info(environ) or "/"
        self.environ = self.META = environ
        self.path_info = path_info
        self.path = f"{script_name.rstrip('/')}/{path_info.replace('/', '', 1)}"
        self.method = environ["REQUEST_METHOD"].upper()

    # Django's, worked out once per request (a hit asks for it more than once).
    scheme = cached_property(HttpRequest.scheme.fget)


def look_up(request, host):
    """``(token, names, page)``: the generation, the path's index and the stored page for ``request``
    (None when not stored). A copy this process holds costs no round trip while the cache's change
    marker proves the generation unchanged (``names`` is then None: only a miss needs it);
    otherwise the generation and the index come in one round trip, and the page in a second unless
    this process holds it. Never raises: a cache that is down gives ``(None, None, None)``, and
    the page is rendered."""
    local_key = _local_key(request, host)
    try:
        marker = change_marker()  # taken before the generation is read: a write in between is seen next time
        token = local_pages.current(marker)
        if token:
            page = local_pages.get(token, local_key)
            if page is not None:
                return token, None, page
        index_key = _index_key(request, host)
        found = cache.get_many([GENERATION_KEY, index_key])
        token = found.get(GENERATION_KEY) or generation()
        names = found.get(index_key)
        if marker is not None and change_marker() != marker:
            # A write went on while the generation was read: the marker proves nothing about it.
            marker = None
        page = None
        if token:
            local_pages.observe(token, marker)
            page = local_pages.get(token, local_key)
        if page is None and token and names is not None:
            page = cache.get(_entry_key(request, host, token, names))
            if isinstance(page, StoredPage):
                local_pages.put(token, local_key, page)
            else:
                page = None  # nothing, or an entry from an earlier release
    except Exception:
        logger.warning("page cache lookup failed", exc_info=True)
        return None, None, None
    return token, names, page


class PageCacheApplication:
    """The WSGI application (``hub.wsgi``): a hit is answered from the environ and the stored page,
    before Django's handler runs (no request signals, no middleware, no response object); every
    other request goes to Django, where ``CachedPageMiddleware`` stores what it may."""

    def __init__(self, django_application):
        self.django_application = django_application
        self.prefixes = public_prefixes()

    def __call__(self, environ, start_response):
        if _hit_settings().seconds > 0 and environ.get("REQUEST_METHOD") in {"GET", "HEAD"}:
            started = time.monotonic()
            request = _HitRequest(environ)
            host = _public_host(request, self.prefixes)
            if host:
                _token, _names, page = look_up(request, host)
                if page is not None:
                    status, headers, body = page.answer(request)
                    request_id = request_log.log_early_response(request, status, started, cache="hit")
                    status_line = _STATUS_LINES.get(status) or f"{status} {HTTPStatus(status).phrase}"
                    start_response(status_line, [*headers, ("X-Request-ID", request_id)])
                    return [body]
        return self.django_application(environ, start_response)


class CachedPageMiddleware:
    """First in ``MIDDLEWARE``: answers the page-cache hits that reach Django (in-process clients,
    tests) like ``PageCacheApplication``, and stores the pages ``AnonymousPageCacheMiddleware``
    allowed once every middleware has finished them (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = public_prefixes()

    def __call__(self, request):
        host = _public_host(request, self.prefixes)
        if not host:
            return self.get_response(request)
        started = time.monotonic()
        token, names, page = look_up(request, host)
        if page is not None:
            status, headers, body = page.answer(request)
            response = HttpResponseNotModified() if status == 304 else HttpResponse(body, status=status)
            for name, value in headers:
                response.headers[name] = value
            response[request_log.REQUEST_ID_HEADER] = request_log.log_early_response(
                request, status, started, cache="hit"
            )
            return response
        setattr(request, REQUEST_GENERATION, token)
        setattr(request, LOOKED_UP, (token, names))
        response = self.get_response(request)
        names_now = getattr(request, TO_STORE, None)
        if names_now is not None and response.status_code == 200 and not response.streaming and not response.cookies:
            self._store(request, host, response, token, names, names_now)
        return response

    @staticmethod
    def _store(request, host, response, token, names, names_now):
        page = StoredPage.from_response(response)
        try:
            if names is None or names_now != set(names):
                cache.set(_index_key(request, host), sorted(names_now), INDEX_TIMEOUT)
            cache.set(_entry_key(request, host, token, names_now), page, settings.HUB_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache store failed", exc_info=True)
            return
        local_pages.put(token, _local_key(request, host), page)
        response["X-Cache"] = "miss"


class AnonymousPageCacheMiddleware:
    """Decide what a miss may store, and record the query parameters it reads (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = public_prefixes()

    def _applies(self, request):
        return _public_host(request, self.prefixes) is not None and not request.user.is_authenticated

    def __call__(self, request):
        looked_up = getattr(request, LOOKED_UP, None)
        if looked_up is None or not self._applies(request):
            return self.get_response(request)
        token, names = looked_up
        request.GET = recording = RecordingQueryDict.recording(request.GET)
        response = self.get_response(request)
        if self._cacheable(response):
            downstream_cache_control(response)
            if token:
                # Stored by CachedPageMiddleware once every middleware has finished the response.
                setattr(request, TO_STORE, set(names or ()) | recording.names_read)
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
