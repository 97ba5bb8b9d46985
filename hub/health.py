"""``/healthz``: one entry per dependency, answered within ``HUB_HEALTHZ_TIMEOUT`` whatever is down.

Each check runs in a thread of its own with its own database connection; checks still running
at the deadline are reported as timed out and left to finish (the connect and socket timeouts
end them). 200 when the instance can serve (the database answers: pages come from it, and the
cache and the task worker degrade the site without stopping it), 503 when it cannot.
"""

import threading
import time
import uuid

from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from django.conf import settings
from django.core.cache import caches
from django.db import connections

from hub.cache import FailOpenMixin
from hub.tasks import oldest_waiting_task_age


def check_database():
    """The default database answers ``SELECT 1``."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"engine": connections["default"].vendor}


def check_cache():
    """The default cache stores and returns a value (a fail-open backend hides errors: compare)."""
    backend = caches["default"]
    key, value = "hub:healthz", uuid.uuid4().hex
    backend.set(key, value, 30)
    if backend.get(key) != value:
        raise ConnectionError("the cache did not return what was stored")
    return {"backend": type(backend).__name__}


def check_tasks():
    """How long the oldest task has been waiting for the worker (database backend only)."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return {"backend": type(backend).__name__, "oldest_waiting_seconds": None}
    age = oldest_waiting_task_age()
    result = {"backend": type(backend).__name__, "oldest_waiting_seconds": None if age is None else round(age, 1)}
    if age is not None and age > settings.HUB_HEALTHZ_TASK_DELAY:
        result["warning"] = "tasks are waiting longer than expected: is the worker running?"
    return result


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


def _run(check, report):
    started = time.monotonic()
    try:
        report.update(ok=True, **check())
    except Exception as error:  # a health check reports, it does not raise
        report.update(ok=False, error=f"{type(error).__name__}: {error}"[:300])
    finally:
        report["seconds"] = round(time.monotonic() - started, 3)
        connections.close_all()  # this thread's connections


def run_checks(timeout=None):
    """``{name: report}`` for every check, each ``{"ok": bool, "seconds": ..., ...}``."""
    timeout = settings.HUB_HEALTHZ_TIMEOUT if timeout is None else timeout
    reports = {name: {} for name in CHECKS}
    threads = []
    for name, check in CHECKS.items():
        thread = threading.Thread(target=_run, args=(check, reports[name]), name=f"healthz-{name}", daemon=True)
        thread.start()
        threads.append((name, thread))
    deadline = time.monotonic() + timeout
    results = {}
    for name, thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive() or "ok" not in reports[name]:
            results[name] = {"ok": False, "error": f"no answer within {timeout} s"}
        else:
            results[name] = dict(reports[name])
    cache = caches["default"]
    if isinstance(cache, FailOpenMixin) and results["cache"]["ok"] and not cache.is_available():
        results["cache"] = {"ok": False, "error": "unreachable (being retried)"}
    return results
