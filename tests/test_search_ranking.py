"""Search ranking (hub.search_backends): one bounded, ranked query, titles first, the caller's filters kept."""

import pytest

from django.db import connection
from django.test import override_settings

from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from articles.models import ArticlePage
from hub.search_backends.postgres import AGE_BUCKET
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from tests.html import soup


@pytest.fixture
def index(home):
    return ArticleIndexPageFactory(parent=home)


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="age lexemes are PostgreSQL's")


def titles(response):
    return [a.get_text(" ", strip=True) for a in soup(response).select(".search-result h3 a")]  # matches are in <mark>


@pytest.mark.django_db
def test_a_page_titled_with_every_search_word_comes_first(client, index):
    # Pages that repeat the words in long texts, and one whose title is the query.
    for n in range(6):
        ArticlePageFactory(
            parent=index,
            title=f"Field notes {n}",
            summary="Camera firmware, camera firmware and more camera firmware. " * 5,
        )
    ArticlePageFactory(parent=index, title="Camera firmware", summary="A short guide.")
    ArticlePageFactory(parent=index, title="Camera mounts", summary="Nothing about the other word.")
    found = titles(client.get("/en/search/?q=firmware camera"))
    assert found[0] == "Camera firmware"
    assert "Camera mounts" not in found  # every word must match
    assert len(found) == 7


@pytest.mark.django_db
def test_results_keep_the_callers_filters_before_the_limit(index):
    """Only live pages of the queryset, even when hundreds of better matches are filtered out."""
    for n in range(12):
        ArticlePageFactory(parent=index, title=f"Sensor report {n}", live=n % 2 == 0)
    backend = get_search_backend()
    results = backend.search("sensor", ArticlePage.objects.live(), operator="and")
    assert results.count() == 6
    assert all(page.live for page in results)
    assert sorted(page.title for page in results[2:4]) == sorted(page.title for page in list(results)[2:4])


@pytest.mark.django_db
def test_results_are_bounded(index):
    for n in range(8):
        ArticlePageFactory(parent=index, title=f"Gateway audit {n}")
    config = {"default": {"BACKEND": get_search_backend().__module__, "MAX_RESULTS": 5}}
    with override_settings(WAGTAILSEARCH_BACKENDS=config):
        results = get_search_backend().search("gateway", ArticlePage.objects.all())
        assert results.count() == 5 and len(list(results)) == 5


@pytest.mark.django_db
def test_unranked_and_negated_searches_still_work(index):
    ArticlePageFactory(parent=index, title="Bridge sensors")
    ArticlePageFactory(parent=index, title="Bridge cameras")
    backend = get_search_backend()
    unranked = backend.search("bridge", ArticlePage.objects.order_by("title"), order_by_relevance=False)
    assert [page.title for page in unranked] == ["Bridge cameras", "Bridge sensors"]
    assert backend.search("bridge", Page.objects.all()).annotate_score("_score")[0]._score is not None


@pytest.mark.django_db
def test_searches_are_rate_limited_per_client(client, index, settings):
    settings.HUB_RATE_LIMITS = {**settings.HUB_RATE_LIMITS, "search": (2, 60)}
    assert client.get("/en/search/?q=one").status_code == 200
    assert client.get("/en/search/").status_code == 200  # the empty form is free
    assert client.get("/en/search/?q=two").status_code == 200
    limited = client.get("/en/search/?q=three")
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    other = client.get("/en/search/?q=three", REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("term", ['"><script>alert(1)</script>', 'camera"', '"', 'say "firmware" twice'])
def test_quotes_and_markup_in_a_search_are_plain_text_to_every_search_url(client, index, term):
    # A double quote ends the engine's quoted term early: every search entry point must still answer.
    ArticlePageFactory(parent=index, title="Camera firmware", summary="A short guide.")
    for url in ("/en/search/", "/api/v2/pages/", "/api/v2/documents/", "/api/v2/images/"):
        response = client.get(url, {"q" if url == "/en/search/" else "search": term})
        assert response.status_code in (200, 400), (url, response.status_code)
    backend = get_search_backend()
    found = [page.title for page in backend.search(term, ArticlePage, operator="or")]
    assert ("Camera firmware" in found) == ("firmware" in term or "camera" in term)
    list(backend.autocomplete(term, ArticlePage))  # answers, no syntax error


def ages(page):
    """The age lexemes in the index entry of ``page``'s vectors, and the entry's id."""
    entry = IndexEntry.objects.get(object_id=str(page.pk), content_type_id=page.content_type_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT lexeme FROM unnest(body) WHERE starts_with(lexeme, '#age-')),"
            " ARRAY(SELECT lexeme FROM unnest(autocomplete) WHERE starts_with(lexeme, '#age-'))"
            " FROM wagtailsearch_indexentry WHERE id = %s",
            [entry.pk],
        )
        body, autocomplete = cursor.fetchone()
    return body, autocomplete, entry.pk


@postgres_only
@pytest.mark.django_db
def test_every_index_entry_carries_the_age_of_its_id_once(index):
    page = ArticlePageFactory(parent=index, title="Sensor report")
    backend = get_search_backend()
    backend.add(page)
    backend.add(page)  # an upsert: the row it proposes had another id, hence another age
    body, autocomplete, entry_id = ages(page)
    assert body == autocomplete == [f"#age-{entry_id // AGE_BUCKET}"]
    # Invisible to searches and to prefixes of words.
    assert not list(backend.search("age", ArticlePage)) and not list(backend.autocomplete("ag", ArticlePage))


@postgres_only
@pytest.mark.django_db
def test_the_newest_allowed_matches_are_ranked_when_the_newest_entries_are_filtered_out(index, settings):
    """Windows of the newest entries hold none the queryset allows: the whole index is searched."""
    backend = get_search_backend()
    older = [ArticlePageFactory(parent=index, title=f"Report {n}", summary="Gateway firmware.") for n in range(3)]
    for page in older:
        backend.add(page)
    with connection.cursor() as cursor:  # the next entries are many age buckets newer
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('wagtailsearch_indexentry', 'id'),"
            " (SELECT max(id) FROM wagtailsearch_indexentry) + %s)",
            [40 * AGE_BUCKET],
        )
    for n in range(3):
        backend.add(ArticlePageFactory(parent=index, title=f"Draft {n}", summary="Gateway firmware.", live=False))
    settings.WAGTAILSEARCH_BACKENDS = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "CANDIDATES": 2}}
    found = list(get_search_backend().search("gateway", ArticlePage.objects.live()))
    assert sorted(page.pk for page in found) == [page.pk for page in older[1:]]  # the newest two
