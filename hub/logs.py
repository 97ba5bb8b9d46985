"""Structured logs: one line per event with timestamp, level, logger and request id.

Imported by the settings (``LOGGING = logging_config(...)``), so it imports nothing of Django's.
Standard-library loggers (Django, Wagtail, the hub) and structlog loggers go through the same
formatter: JSON lines in production, readable text in development. What a request's line holds
is ``hub.request_log``.
"""

import json
import logging

import orjson
import structlog

# The fields every line carries besides its own: level, logger, timestamp (``stamp`` adds them to a
# line built without structlog's bound logger, as ``hub.request_log`` does for page-cache hits).
STAMPS = (
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
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
    and the standard ``Formatter`` pass on the rendered string."""

    def format(self, record):
        if not getattr(record, READY, False):
            return super().format(record)
        return self.render_ready(record._logger, record._name, record.msg, record)

    def render_ready(self, logger, method_name, event_dict, record=None):
        """The line for a complete ``event_dict``, as ``format`` renders a record carrying it."""
        event = dict(event_dict, _record=record, _from_structlog=True)
        logger = self.logger if self.logger is not None else logger
        for processor in self.processors:
            event = processor(logger, method_name, event)
        return event


def write_ready_line(logger, level, method_name, event_dict):
    """Log a complete ``event_dict`` (``stamp``-ed, with its ``event``) on ``logger`` at ``level``,
    for a caller that already knows the level is enabled (``hub.request_log``'s page-cache hits).

    With the hub's own configuration (``LOGGING``: the record would reach one plain
    ``StreamHandler`` with a ``StructuredFormatter`` and no filter) the line is rendered and
    written as that handler would write it, under its lock, without a ``LogRecord`` or the walk
    through the handler chain; with any other (a handler or filter added by an operator or a test)
    the record goes the standard way, so every handler gets it."""
    handler = _sole_structured_handler(logger, level)
    if handler is None:
        record = _ready_record(logger, level, method_name, event_dict)
        logger.handle(record)
        return
    with handler.lock:
        try:
            stream = handler.stream
            stream.write(handler.formatter.render_ready(logger, method_name, event_dict) + handler.terminator)
            if not (getattr(stream, "line_buffering", False) and handler.terminator.endswith("\n")):
                handler.flush()  # a line-buffered stream (stderr) has just flushed itself
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
        type(found) is not logging.StreamHandler
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


def logging_config(json_output, level="INFO"):
    """Configure structlog and return the ``LOGGING`` dict for settings (JSON lines or readable text)."""
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
        render = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer(serializer=_json_line)]
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
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler (DEBUG only) would print its records a second time.
            "django": {"handlers": [], "level": level, "propagate": True},
            # A quiet worker: its start and stop lines are enough.
            "django_tasks": {"level": "WARNING"},
            "axes": {"level": "WARNING"},  # its start-up banner on every command
        },
    }
