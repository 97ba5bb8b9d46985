"""Cache backends that fail open, and the check that every process shares the cache.

The hub keeps three things in the default cache: whole anonymous pages (``hub.page_cache``),
per-language labels (``hub.labels``) and rate-limit counters (``hub.ratelimit``). All three must
be *shared* by every process that serves or changes the site, or one gunicorn worker keeps
serving a page another has unpublished: production uses Redis (``REDIS_URL``) or, by default,
Django's database cache (the ``hub_cache`` table, created by ``migrate``). A per-process cache
with the page cache on refuses to start (``check_shared_cache``).

And the cache must never take the site down. Django's built-in ``RedisCache`` raises
``redis.exceptions.ConnectionError`` from every call when Redis is unreachable, and has no option
to ignore errors, so these subclasses catch them: a read is a miss, a write is skipped, and the
site serves from the database (slower). After a failure the backend is left alone for
``RETRY_SECONDS`` (so a down Redis costs one connect timeout per interval, not one per call), each
outage is logged once per ``LOG_SECONDS``, and when the cache answers again every registered
recovery hook runs (the page-cache generation moves on, since a publish made during the outage
could not record it). Recovery needs nothing from an operator.
"""

import base64
import logging
import os
import pickle
import sqlite3
import threading
import time

from redis.exceptions import RedisError

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone

from hub import outage

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
LOG_SECONDS = 60.0

_recovery_hooks = []


def register_recovery_hook(func):
    """Call ``func()`` when a cache that was unreachable answers again."""
    if func not in _recovery_hooks:
        _recovery_hooks.append(func)
    return func


class _Health:
    """Per-process state of one cache location: down until when, last log, failures not yet logged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.was_down = False
        self.last_logged = 0.0
        self.unlogged = 0
        self.last_error = ""


_health = {}
_health_lock = threading.Lock()


def _health_for(location):
    with _health_lock:
        return _health.setdefault(location, _Health())


class FailOpenMixin:
    """Turn the backend's connection errors into misses and skipped writes (see module docstring)."""

    fail_open_errors = ()

    @property
    def _health(self):
        return _health_for(f"{type(self).__name__}:{self._fail_open_location}")

    @property
    def _fail_open_location(self):
        return getattr(self, "_table", None) or str(getattr(self, "_servers", ""))

    def is_available(self):
        """False while the backend is being left alone after a failure."""
        return time.monotonic() >= self._health.down_until

    READS = frozenset({"get", "get_many", "has_key"})

    def _call(self, name, default, *args, **kwargs):
        health = self._health
        if time.monotonic() < health.down_until:
            return default() if callable(default) else default
        try:
            result = self._invoke(name, *args, **kwargs)
        except self.fail_open_errors as error:
            self._failed(health, name, error)
            return default() if callable(default) else default
        if health.was_down and self._recovered(health) and name in self.READS:
            # What was read may be from before the outage (the old page-cache generation): the
            # recovery hooks have just replaced it, so this first read is a miss.
            return default() if callable(default) else default
        return result

    def _invoke(self, name, *args, **kwargs):
        """The backend's own operation ``name`` (the class after this mixin)."""
        return getattr(super(), name)(*args, **kwargs)

    def _failed(self, health, operation, error):
        now = time.monotonic()
        with health.lock:
            health.down_until = now + RETRY_SECONDS
            health.was_down = True
            health.unlogged += 1
            health.last_error = f"{type(error).__name__}: {error}"
            if now - health.last_logged < LOG_SECONDS and health.last_logged:
                return
            count, health.unlogged, health.last_logged = health.unlogged, 0, now
        logger.error(
            "Cache %s unreachable (%s in %s; %d failure(s) since the last report); serving without it",
            self._fail_open_location,
            health.last_error,
            operation,
            count,
        )

    def _recovered(self, health):
        """Run the recovery hooks once per outage; True for the call that ran them."""
        with health.lock:
            if not health.was_down:
                return False
            health.was_down = False
            health.last_logged = 0.0
        logger.warning("Cache %s is reachable again", self._fail_open_location)
        for hook in list(_recovery_hooks):
            try:
                hook()
            except Exception:
                logger.exception("Cache recovery hook %r failed", hook)
        return True

    def _raise_missing(self):
        raise ValueError("Key not found (cache unavailable)")

    # The BaseCache API (get_or_set, incr_version and friends are built on these).
    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        marker = object()
        result = self._call("incr", marker, key, delta, version)
        if result is marker:
            self._raise_missing()
        return result

    def clear(self):
        return self._call("clear", None)


class FailOpenRedisCache(FailOpenMixin, RedisCache):
    """Django's ``RedisCache``, serving from the database while Redis is unreachable."""

    fail_open_errors = (RedisError, OSError)


class LeanDatabaseCache(DatabaseCache):
    """Django's ``DatabaseCache`` with a leaner read: expired rows are left out by the query itself.

    Django's ``get_many`` reads every row, builds a field and its converters to parse each expiry in
    Python, and deletes the expired rows it met; a page-cache hit reads two keys, and that work
    was a third of its cost. Here the expiry is compared in SQL (as Django's own ``has_key``
    does), and expired rows are left to the cull that every write runs.
    """

    def get_many(self, keys, version=None):
        if not keys:
            return {}
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        connection = connections[router.db_for_read(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Quoted names and placeholders only, as in Django's own get_many.
            cursor.execute(
                "SELECT {key}, {value} FROM {table} WHERE {key} IN ({keys}) AND {expires} > %s".format(  # noqa: S608
                    key=quote_name("cache_key"),
                    value=quote_name("value"),
                    table=quote_name(self._table),
                    expires=quote_name("expires"),
                    keys=", ".join(["%s"] * len(key_map)),
                ),
                [*key_map, connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))],
            )
            rows = cursor.fetchall()
        return {
            key_map[key]: pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))  # noqa: S301 (our own table)
            for key, value in rows
        }

    def change_marker(self):
        """A value that stays equal while nothing has been committed to the cache's database, or
        None when that cannot be told (``hub.page_cache`` then reads the generation on every hit).
        On SQLite it is read from the database file's header (``sqlite_change_marker``), with the
        open connection itself, since the values of two connections are never compared.
        PostgreSQL has no such cheap question."""
        connection = self._marker_connection()
        if connection.vendor != "sqlite":
            return None
        try:
            if connection.connection is None:
                connection.ensure_connection()
            return sqlite_change_marker(connection.connection, _header_of(connection))
        except (DatabaseError, sqlite3.Error, OSError):
            return None

    def _marker_connection(self):
        """The connection the marker is read on: the cache's database for this thread, found once
        per thread (``connections`` is a thread local whose lookup cost more than the marker)."""
        thread = threading.get_ident()
        kept = self.__dict__.get("_hub_marker_connection")
        if kept is None or kept[0] != thread:
            kept = self._hub_marker_connection = (thread, connections[router.db_for_read(self.cache_model_class)])
        return kept[1]


# The file header kept per Django connection (``_header_of``): (raw connection, SQLiteHeader or None).
HEADER_ATTRIBUTE = "_hub_sqlite_header"


def _header_of(connection):
    """The ``SQLiteHeader`` of the file ``connection``'s open SQLite connection reads, or None (an
    in-memory database). Opened once per raw connection: a new connection opens the file again,
    so both always read the same file."""
    raw = connection.connection
    kept = getattr(connection, HEADER_ATTRIBUTE, None)
    if kept is not None and kept[0] is raw:
        return kept[1]
    if kept is not None and kept[1] is not None:
        kept[1].close()
    path = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"), "")
    try:
        header = SQLiteHeader(path) if path else None
    except OSError:
        header = None
    setattr(connection, HEADER_ATTRIBUTE, (raw, header))
    return header


class SQLiteHeader:
    """The change-detection bytes of an SQLite database file's header, read with one ``pread``.

    In rollback-journal mode (SQLite's default, the hub's) every commit, by any connection, this
    one's included, rewrites bytes 24-39 of the file: the file change counter, the page count and
    the freelist (https://www.sqlite.org/fileformat.html#file_change_counter). SQLite itself
    compares these 16 bytes to tell whether another connection wrote since it last read
    (``dbFileVers``); that is what ``PRAGMA data_version`` reports. Asking SQLite costs a read
    transaction (file locks, a check for a hot journal, the read: about eight system calls), a
    third of a page-cache hit under gunicorn; this costs one. It is read without a lock, so it
    may show a commit in progress: ``hub.page_cache.look_up`` trusts a marker only when it is the
    same before and after the (locked) read of the generation. In WAL mode the bytes need not
    move on a commit: ``change_bytes`` is then None, and ``PRAGMA data_version`` is asked.
    """

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)

    def change_bytes(self):
        """Bytes 24-39 of the file, or None when they cannot be trusted (WAL mode, a new empty file)."""
        header = os.pread(self.fd, 22, 18)
        # Bytes 18 and 19: the file format's write and read versions, 1 in rollback-journal mode, 2 in WAL.
        if len(header) < 22 or header[0] != 1 or header[1] != 1:
            return None
        return header[6:]

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __del__(self):
        self.close()


def sqlite_change_marker(raw_connection, header=None):
    """A value equal for as long as nothing has been committed to the database by another
    connection (a commit by this one may move it too): bytes 24-39 of the file when ``header``
    (``SQLiteHeader``) can tell, else ``PRAGMA data_version``. Paired with the connection,
    since the numbers of two connections are never compared."""
    change = header.change_bytes() if header is not None else None
    if change is not None:
        return raw_connection, "file", change
    (version,) = raw_connection.execute("PRAGMA data_version").fetchone()
    return raw_connection, "data_version", version


class FailOpenDatabaseCache(FailOpenMixin, LeanDatabaseCache):
    """Django's ``DatabaseCache``: the embedded shared cache when there is no Redis.

    When the database itself cannot be reached, the page will fail too: the cache tells
    ``hub.outage``, so the visitor gets the 503 without waiting for a second connect timeout.
    """

    fail_open_errors = (DatabaseError,)

    def _invoke(self, name, *args, **kwargs):
        # Inside a transaction (a publish), a failed cache query must not abort it on PostgreSQL:
        # it runs in a savepoint of its own, rolled back on error.
        connection = connections[router.db_for_write(self.cache_model_class)]
        if not connection.in_atomic_block:
            return super()._invoke(name, *args, **kwargs)
        with transaction.atomic(using=connection.alias):
            return super()._invoke(name, *args, **kwargs)

    def _failed(self, health, operation, error):
        if outage.is_connection_failure(error, router.db_for_read(self.cache_model_class)):
            outage.mark_database_down()
        super()._failed(health, operation, error)


def cache_is_available(alias="default"):
    """False while a fail-open cache is being left alone after an error (True for other backends)."""
    backend = caches[alias]
    return backend.is_available() if isinstance(backend, FailOpenMixin) else True


PER_PROCESS_BACKENDS = (LocMemCache,)


def check_shared_cache():
    """Refuse to start when the page cache is on and the default cache lives in each process's memory.

    Only where ``settings.HUB_REQUIRE_SHARED_CACHE`` is set (production): development and tests run
    one process and may keep a local cache.
    """
    if not getattr(settings, "HUB_REQUIRE_SHARED_CACHE", False) or getattr(settings, "HUB_PAGE_CACHE_SECONDS", 0) <= 0:
        return
    if isinstance(caches["default"], PER_PROCESS_BACKENDS):
        raise ImproperlyConfigured(
            "The page cache is on but the default cache is local to each process, so one process would "
            "keep serving pages another has changed: set REDIS_URL, keep the database cache, or set "
            "HUB_PAGE_CACHE_SECONDS=0."
        )
