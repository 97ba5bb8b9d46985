"""The article library: pages in every locale, filters, pagination, feeds, downloads and queries."""

import datetime

import feedparser
import pytest

from django.conf import settings

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from articles.models import ArticleAuthor, ArticleIndexPage, ArticleKind, ArticlePage, ArticlePageTag
from hub.models import Topic
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, ContributorsPageFactory, PersonFactory
from tests.helpers import translate_page
from tests.html import soup

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def index(home):
    """The article index, translated into every locale."""
    page = ArticleIndexPageFactory(parent=home)
    translate_page(page)
    return page


@pytest.fixture
def topics(db):
    return {
        slug: Topic.objects.create(name=name, slug=slug)
        for slug, name in [("iot", "Internet of things"), ("policy", "Policy"), ("lighting", "Street lighting")]
    }


def make_article(index, *, topics=(), authors=(), **kwargs):
    article = ArticlePageFactory(parent=index, **kwargs)
    for topic in topics:
        ArticlePageTag.objects.create(content_object=article, tag=topic)
    for order, person in enumerate(authors):
        ArticleAuthor.objects.create(page=article, person=person, sort_order=order)
    return article


@pytest.fixture
def contributors(home):
    """The contributors page that authors link to, translated into every locale."""
    page = ContributorsPageFactory(parent=home)
    translate_page(page)
    return page


@pytest.fixture
def library(index, topics, contributors):
    """Three articles of each kind, two authors, topics, the newest translated into every locale."""
    ada, ben = PersonFactory(name="Ada Byron"), PersonFactory(name="Ben Okri")
    articles = []
    for n, kind in enumerate([ArticleKind.RESEARCH, ArticleKind.NEWS, ArticleKind.GUIDELINE] * 3):
        articles.append(
            make_article(
                index,
                title=f"{kind.value.title()} item {n}",
                slug=f"item-{n}",
                kind=kind,
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
                topics=[topics["iot"]] if n % 2 else [topics["policy"]],
                authors=[ada, ben] if n % 3 == 0 else [ben],
            )
        )
    translate_page(articles[-1])
    return articles


# --- Page tree and rendering ----------------------------------------------------------------


@pytest.mark.django_db
def test_page_tree_rules(home, index):
    assert ArticleIndexPage.can_create_at(home) is False  # one per home page, already there
    assert ArticlePage.can_create_at(index)
    assert not ArticlePage.can_create_at(home)


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_index_and_article_render_in_every_locale(client, library, code):
    response = client.get(f"/{code}/articles/")
    assert response.status_code == 200
    html = soup(response)
    assert len(html.find_all("h1")) == 1
    titles = [a.get_text(strip=True) for a in html.select(".article-card h2 a")]
    newest = library[-1]
    expected = newest.title if code == "en" else f"{newest.title} ({code})"
    assert titles[0] == expected
    response = client.get(f"/{code}/articles/{newest.slug}/")
    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text(strip=True) == expected
    assert [a.get_text() for a in html.select(".article-authors a")] == ["Ben Okri"]
    assert html.select_one(".article-authors a")["href"].startswith(f"/{code}/contributors/#person-")
    topic_link = html.select_one('a[rel="tag"]')
    assert topic_link["href"] == f"/{code}/articles/?tag=policy"


@pytest.mark.django_db
def test_listing_is_newest_first_with_kind_date_authors_summary_topics(client, library):
    html = soup(client.get("/en/articles/"))
    cards = html.select(".article-card")
    assert len(cards) == 9
    assert [c.h2.get_text(strip=True) for c in cards] == [a.title for a in reversed(library)]
    first = cards[0]
    assert "Guideline" in first.get_text() and first.time["datetime"] == "2025-01-09"
    assert "Summary of" in first.get_text()
    assert [a.get_text() for a in cards[-1].select(".article-authors a")] == ["Ada Byron", "Ben Okri"]
    assert [a.get_text() for a in cards[-1].select(".tag-list a")] == ["Policy"]


@pytest.mark.django_db
def test_untranslated_articles_stay_in_their_locale(client, library):
    html = soup(client.get("/es/articles/"))
    assert len(html.select(".article-card")) == 1


@pytest.mark.django_db
def test_filters_by_kind_and_topic(client, library):
    html = soup(client.get("/en/articles/?kind=research"))
    assert {c.select_one(".article-kind").get_text() for c in html.select(".article-card")} == {"Research"}
    html = soup(client.get("/en/articles/?tag=iot"))
    assert len(html.select(".article-card")) == 4
    assert "Internet of things" in html.get_text()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=-1", "?page=99999", "?page=", "?kind=bogus", "?tag=%3Cscript%3E", "?tag=x" * 50]
)
def test_bad_listing_parameters_give_a_sensible_page(client, library, query):
    response = client.get(f"/en/articles/{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body
    if "bogus" in query:
        assert "does not exist" in body and len(soup(response).select(".article-card")) == 9
    if "script" in query:
        assert "&lt;script&gt;" in body


@pytest.mark.django_db
def test_pagination_keeps_filters(client, index, topics):
    for n in range(23):
        make_article(index, slug=f"p-{n}", topics=[topics["iot"]])
    html = soup(client.get("/en/articles/?tag=iot"))
    assert len(html.select(".article-card")) == 10
    next_link = html.select_one('a[rel="next"]')["href"]
    assert "tag=iot" in next_link and "page=2" in next_link
    last = soup(client.get("/en/articles/?tag=iot&page=99999"))
    assert len(last.select(".article-card")) == 3


# --- Feeds ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("suffix", "content_type", "version"),
    [("rss", "application/rss+xml", "rss20"), ("atom", "application/atom+xml", "atom10")],
)
def test_feeds_parse_with_absolute_links_dates_authors_summaries(client, library, suffix, content_type, version):
    response = client.get(f"/en/articles/feed.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version
    assert len(feed.entries) == 9
    entry = feed.entries[0]
    assert entry.title == library[-1].title
    assert entry.link == f"http://testserver/en/articles/{library[-1].slug}/"
    assert entry.summary == library[-1].summary
    assert entry.author == "Ben Okri"
    assert entry.published_parsed[:3] == (2025, 1, 9)
    assert feed.entries[-1].author == "Ada Byron, Ben Okri"


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_feeds_are_per_locale(client, index, library, suffix):
    spanish = feedparser.parse(client.get(f"/es/articles/feed.{suffix}").content)
    assert spanish.bozo == 0 and [e.title for e in spanish.entries] == [f"{library[-1].title} (es)"]
    assert spanish.entries[0].link.startswith("http://testserver/es/articles/")


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_an_empty_locale_yields_a_valid_empty_feed(client, index, suffix):
    ArticlePageFactory(parent=index)  # English only: the French library stays empty
    french = feedparser.parse(client.get(f"/fr/articles/feed.{suffix}").content)
    assert french.bozo == 0 and french.entries == [] and french.feed.title


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_page_advertises_the_feeds_of_its_locale(client, index, code):
    html = soup(client.get(f"/{code}/"))
    rss = html.select_one('link[rel="alternate"][type="application/rss+xml"]')
    atom = html.select_one('link[rel="alternate"][type="application/atom+xml"]')
    assert rss["href"] == f"/{code}/articles/feed.rss" and atom["href"] == f"/{code}/articles/feed.atom"


# --- Search ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_pages_and_people_of_the_active_locale_only(client, library):
    PersonFactory(name="Ada Lovelace Search")
    html = soup(client.get("/en/search/?q=Guideline"))
    titles = [a.get_text(" ", strip=True) for a in html.select(".search-result h3 a")]
    assert "Guideline item 8" in titles and "Guideline item 5" in titles
    assert not any("(es)" in title for title in titles)
    spanish = soup(client.get("/es/search/?q=Guideline"))
    spanish_titles = [a.get_text(" ", strip=True) for a in spanish.select(".search-result h3 a")]
    # Only Spanish pages (PostgreSQL's stemming may also match the index's "guidelines").
    assert "Guideline item 8 (es)" in spanish_titles and all(title.endswith("(es)") for title in spanish_titles)
    people = soup(client.get("/en/search/?q=Lovelace"))
    assert "Ada Lovelace Search" in people.get_text()
    assert not soup(client.get("/es/search/?q=Lovelace")).find(string=lambda s: "Ada Lovelace Search" in s)


@pytest.mark.django_db
def test_search_shows_editors_picks_of_the_locale_first(client, library):
    query = Query.get("lighting")
    SearchPromotion.objects.create(query=query, page=library[0], description="Start here.", sort_order=0)
    html = soup(client.get("/en/search/?q=Lighting"))
    promoted = html.select_one(".search-result--promoted")
    assert promoted.h3.get_text(" ", strip=True) == library[0].title and "Start here." in promoted.get_text()
    assert soup(client.get("/es/search/?q=lighting")).select_one(".search-result--promoted") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        "x" * 10_000,
        "\x00\x01\x1f",
        "research\x00item",
        "<script>alert(1)</script>",
        "%",
        "'\"",
        "   ",
        "-foo",
        "a OR",
        "NEAR(x",
        "title:x",
        "x AND NOT",
        "'",
        "\\",
    ],
)
def test_odd_search_queries_give_a_sensible_page(client, library, q):
    response = client.get("/en/search/", {"q": q})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert" not in body and "\x00" not in body
    if len(q) > 200:
        assert "too long" in body


@pytest.mark.django_db
def test_search_is_paginated(client, index):
    for n in range(25):
        make_article(index, title=f"Paginated thing {n}", slug=f"thing-{n}")
    first = soup(client.get("/en/search/?q=paginated"))
    assert len(first.select(".search-result")) == 10
    assert "page=2" in first.select_one('a[rel="next"]')["href"]
    for page in ("abc", "-1", "99999"):
        assert client.get(f"/en/search/?q=paginated&page={page}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_header_has_a_labelled_search_form(client, home, code):
    html = soup(client.get(f"/{code}/"))
    form = html.select_one("form.site-search")
    assert form["action"] == f"/{code}/search/" and form["role"] == "search"
    field = form.select_one("input[name=q]")
    label = html.select_one(f'label[for="{field["id"]}"]').get_text(strip=True)
    assert (
        label
        == {
            "en": "Search the site",
            "es": "Buscar en el sitio",
            "fr": "Rechercher sur le site",
            "ar": "ابحث في الموقع",
        }[code]
    )


@pytest.mark.django_db
def test_listing_interface_is_translated(client, library):
    assert "Todos los artículos" in client.get("/es/articles/").content.decode()
    assert "جميع المقالات" in client.get("/ar/articles/").content.decode()
