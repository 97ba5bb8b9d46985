"""What feature apps add to shared pages through the foundation's extension points, and the
shared helpers every listing uses: locale-matched relations and one pagination rule."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

import articles.models
import events.models
import hub.search
import partners.models
from hub import registry
from hub.localized import localized, translations_by_key
from partners.models import PartnerType, Person
from tests.conftest import translate_page
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    ContributorsPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    PersonFactory,
)
from tests.html import soup

pytestmark = pytest.mark.django_db


def feed_links(client, path):
    """``{type: (title, href)}`` of the alternate feeds a page announces in its head."""
    head = soup(client.get(path)).head
    return {link["type"]: (link["title"], link["href"]) for link in head.select('link[rel="alternate"][type]')}


# --- Head links (articles registers its feeds) ------------------------------------------------


def test_every_page_announces_the_article_feeds_of_its_language(client, home):
    index = ArticleIndexPageFactory(parent=home, title="Library")
    spanish = translate_page(index, codes=["es"])["es"]
    assert feed_links(client, "/en/") == {
        "application/rss+xml": ("Library (RSS)", "/en/articles/feed.rss"),
        "application/atom+xml": ("Library (Atom)", "/en/articles/feed.atom"),
    }
    assert feed_links(client, "/es/search/")["application/rss+xml"] == (
        f"{spanish.title} (RSS)",
        "/es/articles/feed.rss",
    )
    index.unpublish()  # signals clear the cached links
    assert feed_links(client, "/en/") == {}


def test_no_feed_links_without_an_article_library(client, home):
    assert feed_links(client, "/en/") == {}


# --- Search sections (partners registers people) ---------------------------------------------


def test_people_found_by_search_link_to_their_card_on_the_contributors_page(client, home):
    ContributorsPageFactory(parent=home)
    grace = PersonFactory(name="Grace Hopper", role="Rear admiral")
    html = soup(client.get("/en/search/?q=Hopper"))
    heading = html.find("h2", string="People")
    item = heading.find_next("ul").li
    assert item.a["href"] == f"/en/contributors/#person-{grace.pk}"
    assert item.get_text(" ", strip=True) == "Grace Hopper · Rear admiral"
    assert client.get(item.a["href"].split("#")[0]).status_code == 200


def test_people_are_found_without_a_link_when_there_is_no_contributors_page(client, home):
    PersonFactory(name="Grace Hopper")
    html = soup(client.get("/en/search/?q=Hopper"))
    item = html.find("h2", string="People").find_next("ul").li
    assert item.get_text(strip=True).startswith("Grace Hopper") and item.a is None


def test_search_shows_any_registered_section_escaped_and_only_on_the_first_page(client, home, monkeypatch):
    def provider(query, locale):
        hits = [registry.SearchHit(f"<b>{query}</b> in {locale.language_code}", "/elsewhere/")]
        return registry.SearchSection("Elsewhere", hits)

    monkeypatch.setattr(registry, "_search_providers", [provider, lambda query, locale: None])
    monkeypatch.setattr(hub.search, "RESULTS_PER_PAGE", 1)
    index = ArticleIndexPageFactory(parent=home)
    for n in range(2):
        ArticlePageFactory(parent=index, title=f"Lantern {n}", slug=f"lantern-{n}")
    first = client.get("/fr/search/?q=lantern").content.decode()
    assert "<h2>Elsewhere</h2>" in first
    assert '<a href="/elsewhere/">&lt;b&gt;lantern&lt;/b&gt; in fr</a>' in first
    assert "Elsewhere" not in client.get("/en/search/?q=lantern&page=2").content.decode()


# --- Home sections (partners registers the board and supporting organisations) ---------------


def test_home_page_shows_the_board_and_the_same_logo_list_as_the_directory(client, home):
    directory = PartnerIndexPageFactory(parent=home)
    PartnerPageFactory(parent=directory, title="Open Cities Fund", partner_type=PartnerType.SUPPORTING)
    PersonFactory(name="Ada Board", is_board_member=True)
    home_page = soup(client.get("/en/"))
    assert "Ada Board" in home_page.select_one("#home-board-heading").find_parent("section").get_text()
    on_home = home_page.select_one(".home-partners .logo-list")
    assert [a.get_text(strip=True) for a in on_home.select(".logo-list__name")] == ["Open Cities Fund"]
    # The directory lists the same organisation once, among the others (filterable by type).
    directory_page = soup(client.get("/en/partners/?type=supporting"))
    assert [a["href"] for a in directory_page.select(".partner-list h2 a")] == [a["href"] for a in on_home.select("a")]


def test_home_sections_come_from_the_registry_and_plain_strings_are_escaped(client, home, monkeypatch):
    PersonFactory(name="Ada Board", is_board_member=True)
    monkeypatch.setattr(registry, "_home_sections", [lambda request: "<script>x</script>"])
    body = client.get("/en/").content.decode()
    assert "Ada Board" not in body
    assert "&lt;script&gt;x&lt;/script&gt;" in body


# --- Locale-matched relations ----------------------------------------------------------------


def test_localized_keeps_order_falls_back_to_the_source_and_costs_one_query(locales):
    translated, untranslated = PersonFactory(name="Ana"), PersonFactory(name="Ben")
    spanish = translated.copy_for_translation(locales["es"])
    spanish.role = "Investigadora"
    spanish.save()
    with CaptureQueriesContext(connection) as queries:
        result = localized([untranslated, None, translated], locales["es"])
    assert result == [untranslated, spanish] and result[1].role == "Investigadora"
    assert len(queries) == 1
    assert localized([translated], locales["es"].pk, Person.objects.none()) == [translated]
    with CaptureQueriesContext(connection) as queries:
        assert translations_by_key([], locales["es"]) == {}
    assert len(queries) == 0


def test_event_speakers_show_in_the_page_language(client, home, locales):
    person = PersonFactory(name="Ana", role="Researcher")
    spanish = person.copy_for_translation(locales["es"])
    spanish.role = "Investigadora"
    spanish.save()
    events_index = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=events_index, slug="meetup")
    event.speakers.create(person=person)
    event.save_revision().publish()
    translate_page(event, codes=["es"])

    def speakers(path):
        return soup(client.get(path)).select_one("#speakers-heading").find_next("ul").get_text(", ", strip=True)

    assert speakers("/en/events/meetup/") == "Ana, Researcher"
    assert speakers("/es/events/meetup/") == "Ana, Investigadora"


# --- One pagination rule and template --------------------------------------------------------


def make_listing(home, listing):
    """Three items in one paginated listing: articles (also what search finds), events or organisations."""
    if listing in ("articles", "search"):
        index = ArticleIndexPageFactory(parent=home)
        for n in range(3):
            ArticlePageFactory(parent=index, title=f"Beacon article {n}", slug=f"a-{n}", kind="news")
    elif listing == "events":
        index = EventIndexPageFactory(parent=home)
        for n in range(3):
            EventPageFactory(parent=index, title=f"Beacon event {n}", slug=f"e-{n}")
    else:
        index = PartnerIndexPageFactory(parent=home)
        for n in range(3):
            PartnerPageFactory(parent=index, title=f"Beacon org {n}", slug=f"o-{n}", country="FR")


LISTINGS = {
    "articles": "/en/articles/?kind=news",
    "events": "/en/events/?format=in-person",
    "partners": "/en/partners/?country=FR",
    "search": "/en/search/?q=beacon+article",
}


@pytest.fixture
def two_per_page(monkeypatch):
    for module, name in [
        (articles.models, "ARTICLES_PER_PAGE"),
        (events.models, "EVENTS_PER_PAGE"),
        (partners.models, "PARTNERS_PER_PAGE"),
        (hub.search, "RESULTS_PER_PAGE"),
    ]:
        monkeypatch.setattr(module, name, 2)


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_listing_reads_a_bad_page_number_the_same_way(client, home, two_per_page, listing):
    """Not a whole number: the first page; out of range: the last page. Never an error."""
    make_listing(home, listing)
    for page, shown in [("2", 2), ("abc", 1), ("1.5", 1), ("", 1), ("99999", 2), ("-1", 2), ("9" * 40, 2)]:
        response = client.get(f"{LISTINGS[listing]}&page={page}")
        assert response.status_code == 200, page
        pagination = soup(response).select_one("nav ul.pagination")
        assert f"Page {shown} of 2" in pagination.get_text(" ", strip=True), page


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_listing_links_pages_keeping_its_filters(client, home, two_per_page, listing):
    make_listing(home, listing)
    url = LISTINGS[listing]
    query = url.split("?")[1]
    first = soup(client.get(url))
    assert first.select_one('a[rel="next"]')["href"] == f"?{query}&page=2"
    assert first.select_one('a[rel="prev"]') is None
    second = soup(client.get(f"{url}&page=2"))
    assert second.select_one('a[rel="prev"]')["href"] == f"?{query}&page=1"
    assert second.select_one('a[rel="next"]') is None
