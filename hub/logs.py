"""Structured logs: one line per event with timestamp, level, logger and request id.

Imported by the settings (``LOGGING = logging_config(...)``), so it imports nothing of Django's.
Standard-library loggers (Django, Wagtail, the hub) and structlog loggers go through the same
formatter: JSON lines in production, readable text in development. What a request's line holds
is ``hub.request_log``.
"""


import json

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
    """structlog's ``ProcessorFormatter``, with a short way for a *ready line*: a record whose
    ``msg`` is a complete event dict and that carries ``READY`` (``hub.request_log`` writes a
    page-cache hit's line so). Such a line goes through the same processors, on a copy of its
    dict; the record is neither copied nor changed (nothing of it is read but the dict), which
    spares the per-line copy of the record and the standard ``Formatter`` pass on the rendered
    string."""

    def format(self, record):
        if not getattr(record, READY, False):
            return super().format(record)
        event = dict(record.msg, _record=record, _from_structlog=True)
        logger = self.logger if self.logger is not None else record._logger
        for processor in self.processors:
            event = processor(logger, record._name, event)
        return event


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
