"""Faults in dependencies degrade the site (fast tier): database errors give a branded 503, the cache
fails open, /healthz reports each dependency. The real-server versions are in test_faults.py (slow)."""

from datetime import timedelta
from unittest import mock

import pytest

from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hub import cache as hub_cache
from hub import outage
from hub.cache import FailOpenMixin
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outage():
    outage.reset()
    yield
    outage.reset()


@pytest.mark.parametrize(("code", "heading"), [("en", "Temporarily unavailable"), ("fr", "Temporairement indisponible"), ("ar", "غير متاح مؤقتًا")])
def test_a_database_error_gives_a_translated_503_with_retry_after(client, home, code, heading):
    client.raise_request_exception = False
    with mock.patch("hub.search.ranked_results", side_effect=OperationalError("server closed the connection")):
        response = client.get(f"/{code}/search/?q=water")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert heading in html and f'lang="{code}"' in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_other_errors_are_still_a_500(client, home):
    client.raise_request_exception = False
    with mock.patch("hub.search.ranked_results", side_effect=ValueError("bug")):
        assert client.get("/en/search/?q=water").status_code == 500


def test_while_the_database_is_marked_down_uncached_pages_answer_503_at_once_and_cached_ones_are_served(client, home, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300
    StandardPageFactory(parent=home, title="About", slug="about")
    for _ in range(3):
        client.get("/en/about/")
    outage.mark_database_down()
    cached = client.get("/en/about/")
    assert cached.status_code == 200 and cached["X-Cache"] == "hit"
    response = client.get("/en/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    outage.reset()
    assert client.get("/en/").status_code == 200


def test_a_fail_open_cache_turns_errors_into_misses_logs_once_and_recovers(monkeypatch, caplog):
    class Store(BaseCache):
        def __init__(self):
            super().__init__({})
            self.data, self.up = {}, True

        def _check(self):
            if not self.up:
                raise ConnectionError("connection refused")

        def get(self, key, default=None, version=None):
            self._check()
            return self.data.get(key, default)

        def set(self, key, value, timeout=None, version=None):
            self._check()
            self.data[key] = value

        def add(self, key, value, timeout=None, version=None):
            self._check()
            return self.data.setdefault(key, value) is value

        def incr(self, key, delta=1, version=None):
            self._check()
            self.data[key] += delta
            return self.data[key]

    class FailOpenStore(FailOpenMixin, Store):
        fail_open_errors = (ConnectionError,)
        _servers = ["test-store"]

    recovered = []
    monkeypatch.setattr(hub_cache, "_recovery_hooks", [lambda: recovered.append(True)])
    monkeypatch.setattr(hub_cache, "_health", {})
    clock = [1000.0]
    monkeypatch.setattr(hub_cache.time, "monotonic", lambda: clock[0])
    backend = FailOpenStore()
    backend.set("k", 1)
    backend.up = False
    assert backend.get("k", "miss") == "miss"
    assert backend.set("k", 2) is None and backend.add("n", 1) is False
    with pytest.raises(ValueError):
        backend.incr("k")
    assert not backend.is_available()
    errors = [record for record in caplog.records if "unreachable" in record.getMessage()]
    assert len(errors) == 1  # one report per interval, however many calls failed
    backend.up = True
    assert backend.get("k", "miss") == "miss"  # still left alone for a few seconds
    clock[0] += hub_cache.RETRY_SECONDS + 0.1
    # The first read after the outage is a miss: it may hold the page-cache generation from before,
    # which the recovery hooks have just replaced.
    assert backend.get("k", "miss") == "miss"
    assert recovered == [True]
    assert backend.get("k") == 1
    assert "reachable again" in caplog.text


def test_healthz_reports_the_cache_down_and_still_answers_200(client, monkeypatch):
    monkeypatch.setitem(hub_cache.__dict__, "_health", {})
    with mock.patch.dict("hub.health.CHECKS", cache=mock.Mock(side_effect=ConnectionError("refused"))):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["cache"]["ok"] is False and body["checks"]["database"]["ok"] is True
    assert body["checks"]["tasks"]["oldest_waiting_seconds"] is None


def test_the_database_cache_is_shared_through_the_database_and_a_failing_query_never_aborts_a_transaction(settings):
    settings.CACHES = {
        "default": {"BACKEND": "hub.cache.FailOpenDatabaseCache", "LOCATION": "hub_cache"},
        "broken": {"BACKEND": "hub.cache.FailOpenDatabaseCache", "LOCATION": "no_such_table"},
    }
    call_command("createcachetable", verbosity=0)
    with transaction.atomic():
        caches["default"].set("shared", "value", 60)
        assert caches["default"].get("shared") == "value"
        # A missing table (or any database error) is a miss, and the transaction goes on, also on PostgreSQL.
        assert caches["broken"].get("anything", "miss") == "miss"
        Group.objects.create(name="still in the transaction")
    assert Group.objects.filter(name="still in the transaction").exists()


def test_the_database_cache_reads_only_unexpired_entries_in_one_query(settings):
    settings.CACHES = {"default": {"BACKEND": "hub.cache.FailOpenDatabaseCache", "LOCATION": "hub_cache"}}
    call_command("createcachetable", verbosity=0)
    cache = caches["default"]
    cache.set_many({"page": {"html": "<p>é</p>", "n": 1}, "gone": "old", "forever": 3}, 60)
    cache.set("forever", 3, None)
    past = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(seconds=1))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE hub_cache SET expires = %s WHERE cache_key = %s", [past, cache.make_key("gone")])
    with CaptureQueriesContext(connection) as queries:
        found = cache.get_many(["page", "gone", "forever", "missing"])
    # One read (the rest is the savepoint a cache query gets inside a transaction), no delete.
    assert [query["sql"].split()[0] for query in queries if "hub_cache" in query["sql"]] == ["SELECT"]
    assert found == {"page": {"html": "<p>é</p>", "n": 1}, "forever": 3}
    assert cache.get("gone", "expired") == "expired" and cache.has_key("page")


def test_a_per_process_cache_with_the_page_cache_on_is_refused_where_a_shared_one_is_required(settings):
    settings.HUB_REQUIRE_SHARED_CACHE = True
    settings.HUB_PAGE_CACHE_SECONDS = 300
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(ImproperlyConfigured, match="local to each process"):
        hub_cache.check_shared_cache()
    settings.HUB_PAGE_CACHE_SECONDS = 0  # the page cache off: nothing can go stale
    hub_cache.check_shared_cache()
    settings.HUB_PAGE_CACHE_SECONDS = 300
    settings.CACHES = {"default": {"BACKEND": "hub.cache.FailOpenDatabaseCache", "LOCATION": "hub_cache"}}
    hub_cache.check_shared_cache()
