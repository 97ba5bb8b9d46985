"""Search ranking (hub.search_backends): one bounded, ranked query, titles first, the caller's filters kept."""

import pytest

from django.test import override_settings

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from articles.models import ArticlePage
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from tests.html import soup


@pytest.fixture
def index(home):
    return ArticleIndexPageFactory(parent=home)


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
