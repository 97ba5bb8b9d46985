"""The request's log line and id (django-structlog's ``RequestMiddleware`` plus these receivers).

The middleware gives every request an id, bound to every log line written while it runs, and
logs ``request_finished``. The receivers make that line carry the method, the path (never the
query string, which may hold tokens), the status and the duration, bind the client address as
``hub.ratelimit`` sees it (not ipware's guess from spoofable headers), and return the id in the
``X-Request-ID`` response header, so a visitor's report can be matched with the log.

The id is the incoming ``X-Request-ID`` (nginx sets it to its own ``$request_id``) when that is a
sane token, so nginx's access line and the app's lines share it; anything else (too long, too
short, other characters: a client can send any header when no proxy replaces it) gives a fresh
UUID, so junk never reaches the logs or the response.
"""

import logging
import random
import re
import time

import structlog
from django_structlog import signals

from hub.logs import stamp, write_ready_line
from hub.ratelimit import client_address

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits, a UUID 36 characters; allow the usual token alphabet.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def sane_request_id(value):
    """``value`` if it is usable as a request id in logs and a response header, else ``None``."""
    if isinstance(value, str) and SANE_REQUEST_ID.fullmatch(value):
        return value
    return None


def _request_started(sender, request, logger, log_kwargs, **kwargs):
    # django-structlog bound the upstream header as is (DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID);
    # nothing has been logged with it yet, so a junk value is replaced before the first line.
    bound = structlog.contextvars.get_contextvars().get("request_id")
    if not sane_request_id(bound):
        structlog.contextvars.bind_contextvars(request_id=fresh_request_id())
    request._hub_started = time.monotonic()
    structlog.contextvars.bind_contextvars(ip=client_address(request))
    log_kwargs.pop("request", None)
    log_kwargs.update(method=request.method, path=request.path)


def _ended(request, log_kwargs):
    """The fields of a request's last line: method, path (no query string) and duration."""
    log_kwargs.pop("request", None)
    started = getattr(request, "_hub_started", None)
    log_kwargs.update(
        method=request.method,
        path=request.path,
        duration_ms=round((time.monotonic() - started) * 1000, 1) if started else None,
    )


def _request_finished(sender, request, logger, response, log_kwargs, **kwargs):
    _ended(request, log_kwargs)
    log_kwargs["status"] = log_kwargs.pop("code", response.status_code)
    if response.get("X-Cache"):
        log_kwargs["cache"] = response["X-Cache"]
    _add_request_id(logger, response)


def _request_failed(sender, request, logger, exception, log_kwargs, **kwargs):
    _ended(request, log_kwargs)


def _failure_response(sender, request, response, logger, exception, **kwargs):
    _add_request_id(logger, response)


def _add_request_id(logger, response):
    request_id = structlog.contextvars.get_merged_contextvars(logger).get("request_id")
    if request_id:
        response[REQUEST_ID_HEADER] = request_id


def connect():
    """Connect the receivers to django-structlog's request signals."""
    signals.bind_extra_request_metadata.connect(_request_started, dispatch_uid="hub-log-started")
    signals.bind_extra_request_finished_metadata.connect(_request_finished, dispatch_uid="hub-log-finished")
    signals.bind_extra_request_failed_metadata.connect(_request_failed, dispatch_uid="hub-log-failed")
    signals.update_failure_response.connect(_failure_response, dispatch_uid="hub-log-failure-response")


# django-structlog's request logger, as the standard library sees it.
_request_logger = logging.getLogger("django_structlog.middlewares.request")


def fresh_request_id():
    """A new request id: a random version-4 UUID, as text. Drawn from ``random`` (reseeded in each
    process after a fork), not the system's entropy: a log correlation id needs no secrecy, and
    this one costs no system call per request."""
    bits = random.getrandbits(128) & ~(0xF000 << 64) | (0x4000 << 64)  # version 4
    bits = bits & ~(0xC000 << 48) | (0x8000 << 48)  # the RFC 4122 variant
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def log_early_response(request, status, started, **fields):
    """Log the request line of a response sent before django-structlog's middleware ran (a page-cache
    hit, ``hub.page_cache``): the same event, fields and request id rules as every other request.
    Returns the request id, for the response's ``X-Request-ID``.

    These lines are the hot path (a hit costs little else), so the line is built whole and written
    by ``hub.logs.write_ready_line``: the configured handlers, levels and formatter write it as
    any other line, without structlog's bound-logger chain, caller lookup or context variables (a
    hit binds none; ``hub.logs.stamp`` adds level, logger and timestamp).
    """
    request_id = sane_request_id(request.META.get("HTTP_X_REQUEST_ID")) or fresh_request_id()
    if not _request_logger.isEnabledFor(logging.INFO):
        return request_id
    event = stamp(
        _request_logger,
        "info",
        {
            "request_id": request_id,
            "ip": client_address(request),
            "user_id": None,
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            **fields,
            "event": "request_finished",
        },
    )
    write_ready_line(_request_logger, logging.INFO, "info", event)
    return request_id
