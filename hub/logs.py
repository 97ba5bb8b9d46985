"""Structured logs: one line per event with timestamp, level, logger and request id.

Imported by the settings (``LOGGING = logging_config(...)``), so it imports nothing of Django's.
Standard-library loggers (Django, Wagtail, the hub) and structlog loggers go through the same
formatter: JSON lines in production, readable text in development. What a request's line holds
is ``hub.request_log``.
"""

import contextlib
import json
import logging
import os
import threading
import time
import weakref

import orjson
import structlog


class _UTCTimestamp:
    """The ``timestamp`` of a line: the time in UTC as ISO 8601 with a ``Z``, the very text of
    structlog's ``TimeStamper(fmt="iso", utc=True)`` (microseconds, left out when they are 0), with
    the date and time of day formatted once per second rather than through a ``datetime`` per line
    (1.4 -> 0.4 us in process; every page-cache hit stamps its line)."""

    def __init__(self):
        self.second = None  # (whole second since the epoch, its text): replaced whole, so threads can share it

    def __call__(self, logger, method_name, event_dict):
        event_dict["timestamp"] = self.text(time.time_ns())
        return event_dict

    def text(self, nanoseconds):
        """The stamp of ``nanoseconds`` since the epoch."""
        second, rest = divmod(nanoseconds, 1_000_000_000)
        kept = self.second
        if kept is None or kept[0] != second:
            kept = self.second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        microseconds = rest // 1000
        return f"{kept[1]}.{microseconds:06d}Z" if microseconds else f"{kept[1]}Z"


# The fields every line carries besides its own: level, logger, timestamp (``stamp`` adds them to a
# line built without structlog's bound logger, as ``hub.request_log`` does for page-cache hits).
STAMPS = (
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    _UTCTimestamp(),
)


def _pre_chain():
    return [structlog.contextvars.merge_contextvars, *STAMPS]


def stamp(logger, method_name, event_dict):
    """``event_dict`` with the fields of ``STAMPS``, for a line handed straight to stdlib ``logger``."""
    for processor in STAMPS:
        event_dict = processor(logger, method_name, event_dict)
    return event_dict


# The attribute that marks a record as a ready line (``StructuredFormatter``).
READY = "hub_ready_line"


class StructuredFormatter(structlog.stdlib.ProcessorFormatter):
    """structlog's ``ProcessorFormatter``, with a short way for a *ready line*: an event dict that
    is complete (stamped, with its event), as ``write_ready_line`` writes them. Such a line goes
    through the same processors, on a copy of its dict, without the per-line copy of the record
    and the standard ``Formatter`` pass on the rendered string; on the production chain (JSON),
    where those processors leave it as it is, it goes to the renderer alone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The hub's production chain (``logging_config``): a ready line is the JSON of its dict as it
        # is (it holds no record to remove and no exception to format), rendered by the same renderer.
        self._json_only = self.processors[-1:] == [JSON_RENDERER] and all(
            processor in RENDERED_AS_IS for processor in self.processors[:-1]
        )

    def format(self, record):
        if not getattr(record, READY, False):
            return super().format(record)
        return self.render_ready(record._logger, record._name, record.msg, record)

    def render_ready(self, logger, method_name, event_dict, record=None):
        """The line for a complete ``event_dict``, as ``format`` renders a record carrying it."""
        if self._json_only and "exc_info" not in event_dict:
            return JSON_RENDERER(logger, method_name, event_dict)
        event = dict(event_dict, _record=record, _from_structlog=True)
        logger = self.logger if self.logger is not None else logger
        for processor in self.processors:
            event = processor(logger, method_name, event)
        return event


class BufferedStreamHandler(logging.StreamHandler):
    """A ``StreamHandler`` that writes its lines in batches, as nginx's ``access_log ... buffer=
    flush=`` does, when ``flush_seconds`` is above 0 (production: ``LOG_FLUSH_SECONDS``).

    A line waits at most ``flush_seconds``, and no longer than the batch takes to reach
    ``buffer_lines``. A line at ``flush_level`` (WARNING) or above is written at once, after every
    line before it, and so is whatever is pending when the handler is flushed or closed (at exit,
    ``logging.shutdown``) and before the process forks (a child does not write its parent's lines).
    A thread per process writes a batch that is due while nothing else is logged. A ready line
    (``write_ready_line``: a page-cache hit's) waits as its event dict, and is rendered with its
    batch.

    Why: under gunicorn, a page-cache hit's own ``write(2)`` of its line, and the rendering of the
    line between two requests, cost several points of the throughput a hit reaches (``make bench``).
    What is given up: on a hard kill (SIGKILL, power loss), the last second of info lines; never a
    warning or an error.
    """

    def __init__(self, stream=None, flush_seconds=0.0, buffer_lines=256, flush_level=logging.WARNING):
        super().__init__(stream)
        self.flush_seconds = flush_seconds
        self.buffer_lines = buffer_lines
        self.flush_level = flush_level
        self.pending = []  # lines (str, terminated), or ready lines as (logger, level, method name, event dict)
        self.due = None  # when the oldest pending line must be written (time.monotonic())
        self.flusher_pid = None  # the process whose flushing thread (``flusher``) runs
        self.flusher = None
        self.closed = False  # the flushing thread ends with the handler
        _buffered_handlers.add(self)

    def emit(self, record):
        try:
            self._add(self.format(record) + self.terminator, record.levelno)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def write_ready(self, logger, level, method_name, event_dict):
        """Write a ready line (``write_ready_line``), now or with the next batch; ``event_dict`` is
        the handler's from now on."""
        self._add((logger, level, method_name, event_dict), level)

    def _add(self, item, level):
        with self.lock:
            pending = self.pending
            pending.append(item)
            if self.flush_seconds <= 0 or level >= self.flush_level or len(pending) >= self.buffer_lines:
                self._write_pending()
            elif self.due is None:
                self.due = time.monotonic() + self.flush_seconds
                if self.flusher_pid != os.getpid():
                    self._start_flusher()
            elif time.monotonic() >= self.due:
                self._write_pending()

    def flush(self):
        with self.lock:
            self._write_pending()

    def close(self):
        with self.lock:
            self.closed = True
            try:
                self._write_pending()
            finally:
                super().close()

    def _write_pending(self):
        """Write what is pending (under ``self.lock``); a line that cannot be rendered is reported
        and skipped, an error of the stream reaches the caller."""
        if self.pending:
            items, self.pending, self.due = self.pending, [], None
            self.stream.write("".join(self._rendered(items)))
        super().flush()

    def _rendered(self, items):
        for item in items:
            if type(item) is str:
                yield item
                continue
            logger, level, method_name, event_dict = item
            try:
                yield self.formatter.render_ready(logger, method_name, event_dict) + self.terminator
            except RecursionError:
                raise
            except Exception:
                self.handleError(_ready_record(logger, level, method_name, event_dict))

    def _forget_pending(self):
        """In a forked child: the parent writes its own pending lines."""
        self.pending, self.due, self.flusher_pid = [], None, None

    def _start_flusher(self):
        self.flusher_pid = os.getpid()
        self.flusher = threading.Thread(
            target=_flush_when_due, args=(weakref.ref(self),), name="hub-log-flusher", daemon=True
        )
        self.flusher.start()


def _flush_when_due(handler_ref):
    """The flushing thread of a ``BufferedStreamHandler``: writes its batch when due; ends when
    the handler is closed or gone (or in a forked child, which starts its own)."""
    while True:
        handler = handler_ref()
        if handler is None or handler.closed or handler.flusher_pid != os.getpid():
            return
        with handler.lock:
            due = handler.due
            if due is not None and time.monotonic() >= due:
                try:
                    handler._write_pending()
                except Exception:
                    handler.handleError(logging.makeLogRecord({"msg": "buffered log lines could not be written"}))
                due = None
        wait = handler.flush_seconds if due is None else max(0.0, due - time.monotonic())
        del handler
        time.sleep(wait)


# Every buffered handler of the process, written out before it forks.
_buffered_handlers = weakref.WeakSet()


def _write_before_fork():
    for handler in list(_buffered_handlers):
        with contextlib.suppress(Exception):  # a fork must not fail on a broken log stream
            handler.flush()


def _forget_after_fork():
    for handler in list(_buffered_handlers):
        handler._forget_pending()


os.register_at_fork(before=_write_before_fork, after_in_child=_forget_after_fork)


def write_ready_line(logger, level, method_name, event_dict):
    """Log a complete ``event_dict`` (``stamp``-ed, with its ``event``) on ``logger`` at ``level``,
    for a caller that already knows the level is enabled (``hub.request_log``'s page-cache hits).

    With the hub's own configuration (``LOGGING``: the record would reach one plain
    ``StreamHandler`` or ``BufferedStreamHandler`` with a ``StructuredFormatter`` and no filter)
    the line is rendered and written as that handler would write it (a buffered one: with its
    batch), under its lock, without a ``LogRecord`` or the walk through the handler chain; with
    any other (a handler or filter added by an operator or a test) the record goes the standard
    way, so every handler gets it."""
    handler = _sole_structured_handler(logger, level)
    if handler is None:
        record = _ready_record(logger, level, method_name, event_dict)
        logger.handle(record)
        return
    try:
        if isinstance(handler, BufferedStreamHandler):
            handler.write_ready(logger, level, method_name, event_dict)
            return
        line = handler.formatter.render_ready(logger, method_name, event_dict) + handler.terminator
        with handler.lock:
            stream = handler.stream
            stream.write(line)
            if not (getattr(stream, "line_buffering", False) and handler.terminator.endswith("\n")):
                handler.flush()  # a line-buffered stream has just flushed itself
    except RecursionError:
        raise
    except Exception:
        handler.handleError(_ready_record(logger, level, method_name, event_dict))


def _ready_record(logger, level, method_name, event_dict):
    record = logging.LogRecord(logger.name, level, __file__, 0, event_dict, None, None)
    record._logger, record._name = logger, method_name  # what ProcessorFormatter looks for
    setattr(record, READY, True)
    return record


def _sole_structured_handler(logger, level):
    """The handler a record of ``logger`` at ``level`` would reach, when it is the only one and a
    plain ``StreamHandler`` with a ``StructuredFormatter`` and no filter; else None. (As
    ``Logger.handle`` and ``callHandlers``: the logger's own filters, then each handler up the
    chain until one does not propagate.)"""
    if logger.disabled or logger.filters:
        return None
    found = None
    current = logger
    while current is not None:
        for handler in current.handlers:
            if level < handler.level:
                continue
            if found is not None:
                return None
            found = handler
        current = current.parent if current.propagate else None
    if (
        type(found) not in (logging.StreamHandler, BufferedStreamHandler)
        or found.filters
        or not isinstance(found.formatter, StructuredFormatter)
    ):
        return None
    return found


def _json_line(event_dict, **kwargs):
    """One JSON line for ``JSONRenderer``: orjson, or the json module for what orjson refuses
    (an integer beyond 64 bits), so that no line is ever lost to its encoder."""
    try:
        return orjson.dumps(event_dict, default=kwargs.get("default"), option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(event_dict, **kwargs)


# The renderer of production lines, and the processors before it that leave a ready line as it is.
JSON_RENDERER = structlog.processors.JSONRenderer(serializer=_json_line)
RENDERED_AS_IS = (structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.format_exc_info)


def logging_config(json_output, level="INFO", flush_seconds=0.0):
    """Configure structlog and return the ``LOGGING`` dict for settings (JSON lines or readable
    text), written to standard error at once or, with ``flush_seconds``, in batches at most that
    late (``BufferedStreamHandler``)."""
    structlog.configure(
        processors=[
            *_pre_chain(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    if json_output:
        render = [structlog.processors.format_exc_info, JSON_RENDERER]
    else:
        render = [structlog.dev.ConsoleRenderer(colors=False)]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": StructuredFormatter,
                "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
                "foreign_pre_chain": _pre_chain(),
            }
        },
        "handlers": {
            "console": {
                "class": "hub.logs.BufferedStreamHandler",
                "formatter": "structured",
                "flush_seconds": flush_seconds,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler (DEBUG only) would print its records a second time.
            "django": {"handlers": [], "level": level, "propagate": True},
            # A quiet worker: its start and stop lines are enough.
            "django_tasks": {"level": "WARNING"},
            "axes": {"level": "WARNING"},  # its start-up banner on every command
        },
    }
