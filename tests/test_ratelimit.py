"""The one rate limiter (hub.ratelimit): counts in the shared cache, per scope and key, fails open."""

from datetime import UTC, datetime

import pytest

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone, translation

from hub import ratelimit


def test_hit_allows_up_to_the_limit_then_refuses(settings):
    settings.HUB_RATE_LIMITS = {"demo": (3, 60)}
    assert [ratelimit.hit("demo", "1.2.3.4") for _ in range(5)] == [True, True, True, False, False]
    # Another key and another scope have their own counters.
    assert ratelimit.hit("demo", "5.6.7.8")
    assert ratelimit.hit("other", "1.2.3.4", limit=1, period=60)
    assert not ratelimit.hit("other", "1.2.3.4", limit=1, period=60)


def test_counters_expire_with_their_window(settings):
    settings.HUB_RATE_LIMITS = {"demo": (1, 60)}
    assert ratelimit.hit("demo", "k")
    assert not ratelimit.hit("demo", "k")
    cache.clear()  # the window's key expires with it
    assert ratelimit.hit("demo", "k")


def test_the_key_is_not_stored_in_clear(settings):
    ratelimit.hit("join", "203.0.113.9")
    assert not any("203.0.113.9" in key for key in cache._cache)


class BrokenCache:
    def add(self, *args, **kwargs):
        raise ConnectionError("cache down")

    incr = set = get = add


def test_a_cache_that_is_down_lets_every_request_through(monkeypatch):
    monkeypatch.setattr(ratelimit, "cache", BrokenCache())
    assert all(ratelimit.hit("join", "1.2.3.4", limit=1) for _ in range(5))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [(0, "9.9.9.9", "10.0.0.1"), (1, "9.9.9.9, 8.8.8.8", "8.8.8.8"), (2, "9.9.9.9, 8.8.8.8", "9.9.9.9"), (3, "1.1.1.1", "10.0.0.1")],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert ratelimit.client_address(request) == expected


@pytest.mark.parametrize(("code", "heading"), [("en", "Too many requests"), ("fr", "Trop de requêtes")])
def test_too_many_requests_is_a_translated_429_with_retry_after(code, heading):
    request = RequestFactory().get(f"/{code}/join/")
    with translation.override(code):
        response = ratelimit.too_many_requests(request, 120)
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert heading in html and f'lang="{code}"' in html


@pytest.mark.django_db
def test_search_and_the_api_use_the_same_limiter(client, home, settings):
    settings.HUB_RATE_LIMITS = {**settings.HUB_RATE_LIMITS, "search": (2, 60), "api": (2, 60)}
    client.get("/en/search/")  # the site's first request creates its settings: a visible change
    # Distinct queries each cost a search: the third is refused.
    assert [client.get(f"/en/search/?q={word}").status_code for word in ("water", "wind", "fire")] == [200, 200, 429]
    assert client.get("/en/search/?q=earth")["Retry-After"] == "60"
    # A query already answered in this generation costs nothing to show again: it is not counted.
    assert client.get("/en/search/?q=water").status_code == 200
    assert client.get("/en/search/").status_code == 200  # the empty form is not a search
    assert [client.get("/api/v2/pages/").status_code for _ in range(3)] == [200, 200, 429]


def test_a_burst_across_a_window_boundary_still_counts(settings):
    settings.HUB_RATE_LIMITS = {"demo": (10, 3600)}
    just_before = 3600 * 500 - 1  # a second before a window starts
    assert all(ratelimit.hit("demo", "k", now=just_before) for _ in range(10))
    assert not ratelimit.hit("demo", "k", now=just_before + 2)  # a new window, but the last hour holds 10
    assert ratelimit.hit("demo", "k", now=just_before + 2 * 3600 + 2)  # two windows later they have slid out


@pytest.mark.django_db
def test_counters_in_the_database_cache_keep_their_expiry(settings):
    settings.CACHES = {"default": {"BACKEND": "hub.cache.FailOpenDatabaseCache", "LOCATION": "hub_cache", "TIMEOUT": 300}}
    call_command("createcachetable", verbosity=0)
    settings.HUB_RATE_LIMITS = {"demo": (3, 3600)}
    now = 3600 * 500 + 10
    for _ in range(3):
        assert ratelimit.hit("demo", "k", now=now)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM hub_cache")
        (expires,) = [row[0] for row in cursor.fetchall()]
    if isinstance(expires, str):
        expires = datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, UTC)
    # Django's database cache's incr would reset the expiry to its 300 s default; the limiter writes its own.
    assert (expires - timezone.now()).total_seconds() > 3000
    assert not ratelimit.hit("demo", "k", now=now)
