"""Structured logs (hub.logs, hub.request_log): one JSON line per event, with the request id the response carries."""

import io
import json
import logging
import logging.config
import os
import runpy
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
import structlog
from gunicorn.config import Config

from django.conf import settings
from django.test import RequestFactory

from hub import logs, request_log, search
from hub.logs import logging_config

pytestmark = pytest.mark.django_db


def production_handler():
    """A stream handler with the production formatter, and a function returning its parsed lines."""
    config = logging_config(json_output=True)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.config.DictConfigurator(config).configure_custom(dict(config["formatters"]["structured"]))
    )
    return handler, lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.fixture
def json_log():
    """The production formatter on a handler of its own; yields a function returning the parsed lines."""
    handler, lines = production_handler()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


def test_each_request_logs_one_json_line_with_its_id_method_path_status_and_duration(client, home, json_log, settings):
    settings.PROXY_COUNT = 0
    response = client.get("/en/?token=secret-value", REMOTE_ADDR="198.51.100.7")
    request_id = response["X-Request-ID"]
    uuid.UUID(request_id)
    lines = [line for line in json_log() if line.get("request_id") == request_id]
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert len(finished) == 1
    (line,) = finished
    assert line["method"] == "GET" and line["path"] == "/en/" and line["status"] == 200
    assert line["level"] == "info" and line["logger"] == "django_structlog.middlewares.request"
    assert line["timestamp"].endswith("Z") and line["duration_ms"] >= 0
    assert line["ip"] == "198.51.100.7"
    assert "secret-value" not in json.dumps(lines)  # query strings may hold tokens: never logged
    assert not [line for line in lines if line["event"] == "request_started"]  # one line per request


def test_lines_written_while_a_request_runs_carry_its_id(client, home, json_log, monkeypatch):
    original = search.ranked_results

    def logging_search(query, locale, *args):
        logging.getLogger("hub.search").warning("searching for %s", query.text)
        return original(query, locale, *args)

    monkeypatch.setattr(search, "ranked_results", logging_search)
    response = client.get("/en/search/?q=water")
    (line,) = [line for line in json_log() if line["event"] == "searching for water"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["logger"] == "hub.search" and line["level"] == "warning"


def test_errors_carry_the_request_id_too(client, home):
    client.raise_request_exception = False
    with mock.patch("hub.search.ranked_results", side_effect=ValueError("bug")):
        response = client.get("/en/search/?q=water")
    assert response.status_code == 500
    uuid.UUID(response["X-Request-ID"])


def _finished_lines(json_log):
    return [line for line in json_log() if line["event"] == "request_finished"]


def test_an_upstream_request_id_is_reused_in_the_log_line_and_the_response(client, home, json_log):
    nginx_id = "0123456789abcdef0123456789abcdef"  # nginx's $request_id: 32 hex digits
    response = client.get("/en/", headers={"X-Request-ID": nginx_id})
    assert response["X-Request-ID"] == nginx_id
    (line,) = _finished_lines(json_log)
    assert line["request_id"] == nginx_id


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "short",  # too short to be anyone's id
        "a" * 65,  # too long
        "id with spaces",
        "id\r\nSet-Cookie: x=1",  # header splitting
        '"},{"level":"critical"',  # log injection
        "idéntifiant-12345",  # outside the token alphabet
    ],
)
def test_a_junk_request_id_is_replaced_by_a_fresh_one(client, home, json_log, junk):
    response = client.get("/en/", HTTP_X_REQUEST_ID=junk)
    fresh = response["X-Request-ID"]
    uuid.UUID(fresh)
    (line,) = _finished_lines(json_log)
    assert line["request_id"] == fresh
    assert not junk or junk not in json.dumps(json_log())


def test_gunicorn_writes_no_access_log_line_so_each_request_is_logged_once(capfd):
    """The app logs ``request_finished``; gunicorn's own access line would be a second one per request."""
    values = runpy.run_path(str(Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"))
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)
    assert config.accesslog is None
    logger = config.logger_class(config)
    response = SimpleNamespace(status="200 OK", headers=[], sent=10, status_code=200)
    request = SimpleNamespace(method="GET", path="/en/", query="", uri="/en/", version=(1, 1), headers=[])
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/en/", "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1"}
    capfd.readouterr()
    logger.access(response, request, environ, timedelta(milliseconds=5))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_page_cache_hit_logs_its_line_like_any_request(client, home, json_log, settings):
    """Hits are answered before django-structlog's middleware (hub.page_cache): still one line each."""
    settings.HUB_PAGE_CACHE_SECONDS = 300
    settings.PROXY_COUNT = 0
    client.get("/en/")
    client.get("/en/")  # the first visit made the site's settings: a visible change
    json_log()  # what those two wrote
    nginx_id = "0123456789abcdef0123456789abcdef"
    upstream = client.get("/en/?token=secret-value", headers={"X-Request-ID": nginx_id}, REMOTE_ADDR="198.51.100.7")
    fresh = client.get("/en/", HTTP_X_REQUEST_ID="id with spaces")
    assert upstream["X-Cache"] == fresh["X-Cache"] == "hit"
    assert upstream["X-Request-ID"] == nginx_id
    uuid.UUID(fresh["X-Request-ID"])
    lines = json_log()
    hits = [line for line in lines if line.get("cache") == "hit"]
    assert [line["request_id"] for line in hits][-2:] == [nginx_id, fresh["X-Request-ID"]]
    line = next(line for line in hits if line["request_id"] == nginx_id)
    assert line["event"] == "request_finished" and line["logger"] == "django_structlog.middlewares.request"
    assert line["level"] == "info" and line["timestamp"].endswith("Z")
    assert line["method"] == "GET" and line["path"] == "/en/" and line["status"] == 200 and line["duration_ms"] >= 0
    assert line["ip"] == "198.51.100.7"
    assert "secret-value" not in json.dumps(lines) and "id with spaces" not in json.dumps(lines)
    assert len([line for line in lines if line.get("request_id") == nginx_id]) == 1


def test_values_json_cannot_take_as_they_are_still_reach_the_line(json_log):
    """The production encoder (orjson, hub.logs) writes what the json module would: keys that are
    not strings, integers beyond 64 bits, and objects by their repr. A line is never lost."""

    class Thing:
        def __repr__(self):
            return "<a thing>"

    structlog.get_logger("hub.tests").info("odd values", counts={1: "one"}, huge=2**70, thing=Thing())
    (line,) = [line for line in json_log() if line["event"] == "odd values"]
    assert line["counts"] == {"1": "one"} and line["huge"] == 2**70 and line["thing"] == "<a thing>"


@pytest.fixture
def sole_handler():
    """The hub's own configuration in miniature: the root logger's one handler, a plain stream
    handler with the production formatter (where ``hub.logs.write_ready_line`` writes directly)."""
    handler, lines = production_handler()
    root = logging.getLogger()
    previous = root.handlers[:], root.level

    def install():
        """Called in the test itself: pytest adds its capturing handlers once the test starts."""
        root.handlers[:] = [handler]
        root.setLevel(logging.INFO)

    yield handler, install, lines
    root.handlers[:] = previous[0]
    root.setLevel(previous[1])


def test_a_hit_line_is_the_same_written_directly_or_through_the_handlers(sole_handler, settings):
    """A hit's line skips the handler chain only where nobody could tell: the same line either way,
    and a filter an operator adds to the handler still sees every hit."""
    settings.PROXY_COUNT = 0
    handler, install, lines = sole_handler
    install()
    request = RequestFactory().get("/en/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")
    assert logs._sole_structured_handler(request_log._request_logger, logging.INFO) is handler  # written directly
    direct_id = request_log.log_early_response(request, 200, time.monotonic(), cache="hit")
    seen = []
    handler.addFilter(lambda record: seen.append(record.msg) or True)
    through_id = request_log.log_early_response(request, 304, time.monotonic(), cache="hit")
    direct, through = lines()
    assert direct_id == through_id == direct["request_id"] == through["request_id"]
    assert [seen_line["status"] for seen_line in seen] == [304]
    same = {"timestamp", "duration_ms", "status"}
    assert {key: value for key, value in direct.items() if key not in same} == {
        key: value for key, value in through.items() if key not in same
    }
    assert direct["status"] == 200 and direct["level"] == "info" and direct["event"] == "request_finished"


def test_fresh_request_ids_are_distinct_version_4_uuids():
    ids = {request_log.fresh_request_id() for _ in range(1000)}
    assert len(ids) == 1000
    for value in list(ids)[:50]:
        parsed = uuid.UUID(value)
        assert str(parsed) == value and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def buffered(stream, flush_seconds=30.0, **kwargs):
    """A ``BufferedStreamHandler`` with the production formatter on a logger of its own."""
    handler = logs.BufferedStreamHandler(stream, flush_seconds=flush_seconds, **kwargs)
    config = logging_config(json_output=True)
    handler.setFormatter(
        logging.config.DictConfigurator(config).configure_custom(dict(config["formatters"]["structured"]))
    )
    logger = logging.getLogger(f"hub.tests.buffered.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return handler, logger


def events(text):
    return [json.loads(line)["event"] for line in text.splitlines() if line.strip()]


def test_development_writes_each_line_at_once():
    """Production batches info lines (``LOG_FLUSH_SECONDS``, tests/test_foundation.py); development does not."""
    from hub.settings import base

    assert base.LOGGING["handlers"]["console"]["class"] == "hub.logs.BufferedStreamHandler"
    assert base.LOGGING["handlers"]["console"]["flush_seconds"] == 0


def test_a_buffered_info_line_waits_at_most_flush_seconds():
    """With nothing else logged, the flushing thread writes a batch when it is due."""
    stream = io.StringIO()
    handler, logger = buffered(stream, flush_seconds=0.2)
    logger.info("first")
    logger.info("second")
    assert stream.getvalue() == ""  # pending
    deadline = time.monotonic() + 5
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert events(stream.getvalue()) == ["first", "second"]  # written by the flushing thread, in order
    handler.close()
    handler.flusher.join(timeout=5)
    assert not handler.flusher.is_alive()  # it ends with its handler


def test_a_warning_is_written_at_once_after_every_line_before_it():
    stream = io.StringIO()
    handler, logger = buffered(stream)
    logger.info("request one")
    logger.info("request two")
    logger.warning("something is wrong")
    assert events(stream.getvalue()) == ["request one", "request two", "something is wrong"]
    logger.info("request three")
    logger.error("worse")
    assert events(stream.getvalue())[-2:] == ["request three", "worse"]
    handler.close()


def test_a_full_batch_is_written_and_flush_or_close_write_what_is_pending():
    stream = io.StringIO()
    handler, logger = buffered(stream, buffer_lines=8)
    for number in range(20):
        logger.info("line %d", number)
    written = events(stream.getvalue())
    assert 0 < len(written) < 20 and written == [f"line {number}" for number in range(len(written))]
    handler.flush()  # what logging.shutdown does at exit
    assert events(stream.getvalue()) == [f"line {number}" for number in range(20)]
    logger.info("last")
    handler.close()
    assert events(stream.getvalue())[-1] == "last"


def test_a_hit_line_is_batched_like_any_other(settings):
    """``write_ready_line`` (page-cache hits) writes through the same batch, in order with other lines."""
    settings.PROXY_COUNT = 0
    stream = io.StringIO()
    handler = logs.BufferedStreamHandler(stream, flush_seconds=30)
    handler.setFormatter(production_handler()[0].formatter)
    root = logging.getLogger()
    previous = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    try:
        request = RequestFactory().get("/en/")
        request_id = request_log.log_early_response(request, 200, time.monotonic(), cache="hit")
        assert stream.getvalue() == ""
        logging.getLogger("hub.tests").warning("after the hit")
    finally:
        root.handlers[:] = previous[0]
        root.setLevel(previous[1])
    hit, warning = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert hit["request_id"] == request_id and hit["cache"] == "hit" and warning["event"] == "after the hit"


def test_pending_lines_are_written_once_across_a_fork(tmp_path):
    """Before a fork (gunicorn's workers, --preload) pending lines are written: neither process repeats them."""
    path = tmp_path / "log"
    with path.open("w") as stream:
        handler, logger = buffered(stream)
        logger.info("before the fork")
        pid = os.fork()
        if pid == 0:  # the child: writes what it logs itself, never its parent's lines
            try:
                logger.info("in the child")
                handler.flush()
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        logger.info("in the parent")
        handler.close()
    assert sorted(events(path.read_text())) == ["before the fork", "in the child", "in the parent"]
    assert events(path.read_text())[0] == "before the fork"


@pytest.mark.parametrize(
    "nanoseconds", [0, 1_764_694_800_000_000_000, 1_764_694_800_000_999_999, 1_764_694_859_123_456_789, 4_102_444_800_5]
)
def test_timestamps_read_as_structlogs_iso_utc_stamper_would_write_them(nanoseconds):
    """The same text as ``TimeStamper(fmt="iso", utc=True)`` (microseconds left out when 0), twice in one second too."""
    stamper = logs.STAMPS[-1]
    moment = datetime.fromtimestamp(nanoseconds // 10**9, UTC).replace(microsecond=nanoseconds // 1000 % 10**6)
    expected = moment.isoformat().replace("+00:00", "Z")
    assert stamper.text(nanoseconds) == stamper.text(nanoseconds) == expected
    assert stamper(None, "info", {})["timestamp"].endswith("Z")


def test_a_ready_line_renders_as_the_whole_processor_chain_would():
    """The production formatter's short way for ready lines gives the bytes of its processors."""
    formatter = production_handler()[0].formatter
    assert formatter._json_only
    event = logs.stamp(request_log._request_logger, "info", {"request_id": "x" * 32, "huge": 2**70, "event": "e"})
    chained = dict(event, _record=None, _from_structlog=True)
    for processor in formatter.processors:
        chained = processor(request_log._request_logger, "info", chained)
    assert formatter.render_ready(request_log._request_logger, "info", event) == chained


def test_a_ready_line_that_cannot_be_rendered_is_reported_and_the_rest_of_its_batch_written():
    class Unprintable:
        def __repr__(self):
            raise RuntimeError("no repr")

    stream = io.StringIO()
    handler, logger = buffered(stream)
    reported = []
    handler.handleError = reported.append
    logger.info("before")
    logs.write_ready_line(
        logger, logging.INFO, "info", logs.stamp(logger, "info", {"odd": Unprintable(), "event": "x"})
    )
    logger.info("after")
    handler.flush()
    assert events(stream.getvalue()) == ["before", "after"]
    assert [record.msg["event"] for record in reported] == ["x"]
    handler.close()
