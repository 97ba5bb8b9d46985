"""The benchmark's generated data (bench/generate.py), and search at 10,000 articles (slow tier)."""

import re
import time
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleIndexPage, ArticlePage
from bench.generate import LANDMARKS, generate, landmark_queries
from events.models import EventIndexPage, EventPage
from partners.models import PartnerIndexPage, PartnerPage

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def first_result(client, language, query, extra=""):
    """The slug of the first article in the results of ``query``, and the time the search took."""
    started = time.perf_counter()
    response = client.get(f"/{language}/search/?q={quote(query)}{extra}")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    results = response.content.decode().split('class="search-results', 1)[-1]
    found = re.findall(rf'href="/{language}/articles/([^"/]+)/"', results)
    return (found[0] if found else None), elapsed


@pytest.fixture
def no_search_limit(settings):
    settings.HUB_RATE_LIMITS = {**settings.HUB_RATE_LIMITS, "search": (10**9, 60)}


@pytest.mark.django_db
def test_generated_content_is_translated_rendered_and_found(client, no_search_limit):
    counts = generate(articles=len(LANDMARKS) + 4, events=4, partners=3, people=4, log=lambda message: None)
    assert counts == {"people": 4, "partners": 12, "articles": 96, "events": 16}
    article = ArticlePage.objects.get(slug="landmark-1", locale__language_code="en")
    versions = ArticlePage.objects.filter(translation_key=article.translation_key, alias_of__isnull=True)
    assert sorted(page.locale.language_code for page in versions) == sorted(LANGUAGES)
    assert {page.title for page in versions} == {
        "Camera firmware",
        "Cámara firmware",
        "Caméra micrologiciel",
        "كاميرا برنامج ثابت",
    }
    for code in LANGUAGES:
        assert client.get(f"/{code}/articles/landmark-1/").status_code == 200
        event = EventPage.objects.filter(locale__language_code=code).order_by("-pk").first()
        partner = PartnerPage.objects.filter(locale__language_code=code).order_by("-pk").first()
        assert client.get(event.url).status_code == 200 and client.get(partner.url).status_code == 200
        for query, slug in landmark_queries(code)[:4]:
            assert first_result(client, code, query)[0] == slug, (code, query)


@pytest.fixture(scope="module")
def large_site(django_db_setup, django_db_blocker):
    """10,000 generated article pages (2,500 articles in four languages), 1,000 event pages and 500
    partner pages, rolled back after the module.

    The size at which Wagtail's ranking took 5-8 s per search (a correlated subquery per candidate
    over the whole index), so a regression to it fails here; ``make bench`` measures four times as
    many (``manage.py bench_search``), and generating those took a quarter of CI's slow tier.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        generate(articles=2_500, events=250, partners=125, log=lambda message: None)
        yield
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_search_at_10000_article_pages_is_fast_and_finds_the_expected_page_first(
    client, large_site, language, no_search_limit
):
    """20 queries per language, common words included: each under 500 ms (CI's bar; the note gives real figures)."""
    slow = []
    for query, slug in landmark_queries(language):
        client.get(f"/{language}/search/?q={quote(query)}")  # warm: the first request of a process pays for imports
        # Another query string: the results of the first are kept (hub.memo), these are computed.
        found, elapsed = first_result(client, language, query, extra="&page=1")
        assert found == slug, (query, found)
        if elapsed >= 0.5:
            slow.append((query, round(elapsed * 1000)))
    assert not slow


def explorer_queries(client, page):
    """Queries of the admin explorer's first page of ``page``'s children (50 rows when there are enough)."""
    url = f"/admin/pages/{page.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_admin_explorer_costs_the_same_at_50_and_500_children(admin_client):
    """The explorer shows 50 rows a page: the hub's hooks must not add queries that grow with the section."""
    generate(articles=50, events=50, partners=50, people=4, log=lambda message: None)
    sections = {
        model: model.objects.get(locale__language_code="en", alias_of__isnull=True)
        for model in (ArticleIndexPage, EventIndexPage, PartnerIndexPage)
    }
    before = {model: explorer_queries(admin_client, page) for model, page in sections.items()}
    generate(articles=450, events=450, partners=450, people=4, seed=15, log=lambda message: None)
    after = {model: explorer_queries(admin_client, page) for model, page in sections.items()}
    assert after == before


def test_cached_shares_pair_each_page_with_the_ceiling_run_just_before_it(monkeypatch):
    """``make bench`` on a shared machine: the machine's speed changes between runs (here it halves
    every other pair), yet a page that always serves 60% of what the ceiling serves at that moment
    reads 60%, not the ratio of two medians taken minutes apart."""
    from bench import run as bench_run

    calls = []
    speeds = [1.0, 0.5, 1.0, 0.5, 0.8, 1.0]

    def load(url, duration, connections):
        speed = speeds[(len(calls) // 2) % len(speeds)]
        calls.append(url)
        rps = (5000 if url == "ceiling" else {"a": 3000, "b": 4000}[url]) * speed
        return {"rps": rps, "p50": 1.0, "p95": 2.0, "p99": 0.0, "errors": 0}

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b""

    monkeypatch.setattr(bench_run.urllib.request, "urlopen", lambda url, timeout: Answer())
    args = SimpleNamespace(rounds=3, duration=1, connections=8, workers=2)
    measured = bench_run.measure({"a": "a", "b": "b"}, "ceiling", load, args, paired=True)
    assert calls == ["ceiling", "a", "ceiling", "b"] * 3
    assert measured["a"]["share"] == pytest.approx(0.6) and measured["b"]["share"] == pytest.approx(0.8)
    assert bench_run.paired_ratio([300, 150, 240], [100, 50, 80]) == pytest.approx(3.0)


@pytest.mark.slow
@pytest.mark.django_db
def test_every_sitemap_part_at_10000_article_pages_answers_fast_uncached(client, large_site):
    """The index and each of its parts, computed (the page cache is off in tests): each under 500 ms
    (CI's bar; a part read every page of the site for a count before it used path ranges)."""
    client.get("/sitemap.xml")  # warm: the first request of a process pays for imports
    started = time.perf_counter()
    index = client.get("/sitemap.xml")
    timings = {"/sitemap.xml": time.perf_counter() - started}
    assert index.status_code == 200
    parts = re.findall(r"<loc>https?://[^/]+(/sitemap-[a-z]+\.xml(?:\?p=\d+)?)</loc>", index.content.decode())
    assert len(parts) > len(LANGUAGES)  # more than one part for some language at this size
    for part in parts:
        started = time.perf_counter()
        response = client.get(part)
        timings[part] = time.perf_counter() - started
        assert response.status_code == 200 and b"<url><loc>" in response.content, part
    assert not {path: round(seconds * 1000) for path, seconds in timings.items() if seconds >= 0.5}
