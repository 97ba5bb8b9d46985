"""Database outages: a branded, translated 503 with ``Retry-After``, fast.

When the database cannot be reached, every request that needs it would wait for the connect
timeout and then fail with a generic 500. Instead:

- ``server_error`` (the project's ``handler500``) answers a database error with ``503.html``
  (standalone: no query, no cache) and ``Retry-After``;
- a failure to *connect* marks the database down in this process for ``RETRY_SECONDS``;
  meanwhile ``DatabaseOutageMiddleware`` (just inside the page cache, so cached pages are still
  served) answers 503 at once instead of waiting for another timeout. A query that fails on a
  working connection (a statement timeout, say) gets its 503 but marks nothing.
"""

import sys
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import requires_csrf_token

RETRY_SECONDS = 5.0
RETRY_AFTER = 30  # what visitors' browsers and crawlers are told

_lock = threading.Lock()
_down_until = 0.0


def mark_database_down():
    """Remember, in this process, that the database could not be reached just now."""
    global _down_until
    with _lock:
        _down_until = time.monotonic() + RETRY_SECONDS


def database_marked_down():
    return time.monotonic() < _down_until


def reset():
    """Forget any outage (tests)."""
    global _down_until
    with _lock:
        _down_until = 0.0


def is_connection_failure(error, alias="default"):
    """True for an error raised while connecting (no open connection remains), not by a query."""
    return isinstance(error, (OperationalError, InterfaceError)) and connections[alias].connection is None


def database_unavailable(request=None):
    """The 503 page: translated, no database or cache needed, never cached."""
    html = loader.get_template("503.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: a database outage is a 503 (see module docstring); anything else the usual 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        if is_connection_failure(error):
            mark_database_down()
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template(template_name).render())


class DatabaseOutageMiddleware:
    """Answer 503 at once while this process knows the database is down (see module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if database_marked_down() and request.path != "/healthz":
            return database_unavailable(request)
        return self.get_response(request)
