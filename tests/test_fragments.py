"""Parts kept per page-cache generation (``hub.memo``): menu, footer, home sections, listing cards.

With the whole-page cache off, these are the only caches of a render: every visible change must
show on the next request, in every language, drafts and private pages never, and a cache that is
down must only make pages slower.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from wagtail.models import PageViewRestriction

from hub import invalidation, memo, page_cache
from hub.models import FooterText, Topic
from partners.models import PartnerType
from tests.factories import (
    ArticleIndexPageFactory,
    ArticlePageFactory,
    EventPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    StandardPageFactory,
)
from tests.helpers import translate_page
from tests.html import soup

pytestmark = pytest.mark.django_db


def menu(client, url):
    html = soup(client.get(url))
    return [a.get_text(strip=True) for a in html.select(".main-nav a")]


def footer(client, url):
    return soup(client.get(url)).select_one(".site-footer").get_text(" ", strip=True)


def test_menu_edits_show_right_after_publishing_in_each_language_and_drafts_never(client, home):
    about = StandardPageFactory(parent=home, title="About", slug="about", show_in_menus=True)
    translate_page(about, codes=["ar"])
    assert "About" in menu(client, "/en/") and "About (ar)" in menu(client, "/ar/")
    assert menu(client, "/en/") == menu(client, "/en/")  # the second render reads the kept menu
    about.title = "About us"
    about.save_revision().publish()
    assert "About us" in menu(client, "/en/")
    assert "About (ar)" in menu(client, "/ar/")  # each language keeps its own
    about.title = "Draft title"
    about.save_revision()  # a draft: nothing visible changes
    assert "Draft title" not in menu(client, "/en/") and "About us" in menu(client, "/en/")
    about.unpublish()
    assert "About us" not in menu(client, "/en/")


def test_a_page_made_private_leaves_the_menu_at_once(client, home):
    about = StandardPageFactory(parent=home, title="Members", slug="members", show_in_menus=True)
    assert "Members" in menu(client, "/en/")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    assert "Members" not in menu(client, "/en/")
    assert client.get("/en/members/").status_code == 302  # and the page asks for a sign-in


def test_footer_text_edit_shows_on_the_next_request(client, home, locales):
    text = FooterText.objects.create(locale=locales["en"], text="Old footer")
    assert "Old footer" in footer(client, "/en/")
    text.text = "New footer"
    text.save()
    assert "New footer" in footer(client, "/en/")


def test_home_sections_show_a_new_supporting_organisation_right_after_publishing(client, home):
    index = PartnerIndexPageFactory(parent=home)
    PartnerPageFactory(parent=index, title="First Org", slug="first", partner_type=PartnerType.SUPPORTING)
    assert "First Org" in client.get("/en/").content.decode()
    PartnerPageFactory(parent=index, title="Second Org", slug="second", partner_type=PartnerType.SUPPORTING)
    assert "Second Org" in client.get("/en/").content.decode()


def test_a_cache_that_is_down_only_makes_pages_slower(client, home, monkeypatch):
    about = StandardPageFactory(parent=home, title="About", slug="about", show_in_menus=True)
    client.get("/en/")
    monkeypatch.setattr(page_cache, "generation", lambda: None)  # what an unreachable cache gives
    memo.forget()
    about.title = "Renamed while the cache was down"
    about.save_revision().publish()
    assert "Renamed while the cache was down" in menu(client, "/en/")
    assert not memo._store["values"]  # nothing was kept without a generation


def test_a_request_that_makes_a_visible_change_keeps_nothing_after_it(rf, home):
    computed = []

    def view(request):
        first = memo.per_generation("value", lambda: computed.append(1) or len(computed))
        invalidation.invalidate("changed during the request")  # as an admin save does, in its transaction
        second = memo.per_generation("value", lambda: computed.append(1) or len(computed))
        return first, second

    assert memo.GenerationMiddleware(view)(rf.get("/en/")) == (1, 2)
    assert memo.GenerationMiddleware(view)(rf.get("/en/")) == (3, 4)


def card_titles(client, url, selector=".card__title"):
    return [title.get_text(strip=True) for title in soup(client.get(url)).select(selector)]


def test_listing_cards_follow_publishing_unpublishing_and_privacy_at_once(client, home):
    """Listings page through kept ids and kept cards (``hub.cards``): each change shows on the next request."""
    index = ArticleIndexPageFactory(parent=home)
    first = ArticlePageFactory(parent=index, title="Bridge sensors", slug="bridge", date=date(2026, 1, 2))
    ArticlePageFactory(parent=index, title="Street lights", slug="lights", date=date(2026, 1, 1))
    assert card_titles(client, "/en/articles/") == ["Bridge sensors", "Street lights"]
    assert card_titles(client, "/en/articles/") == ["Bridge sensors", "Street lights"]  # kept
    first.title = "Bridge sensors, revised"
    first.save_revision().publish()
    assert card_titles(client, "/en/articles/") == ["Bridge sensors, revised", "Street lights"]
    first.title = "A draft title"
    first.save_revision()  # a draft: nothing visible changes
    assert card_titles(client, "/en/articles/") == ["Bridge sensors, revised", "Street lights"]
    newest = ArticlePageFactory(parent=index, title="Water meters", slug="water", date=date(2026, 1, 3))
    assert card_titles(client, "/en/articles/") == ["Water meters", "Bridge sensors, revised", "Street lights"]
    PageViewRestriction.objects.create(page=newest, restriction_type=PageViewRestriction.LOGIN)
    assert card_titles(client, "/en/articles/") == ["Bridge sensors, revised", "Street lights"]
    first.unpublish()
    assert card_titles(client, "/en/articles/") == ["Street lights"]


def test_listing_pages_and_filters_are_kept_apart_and_odd_page_numbers_still_land(client, home):
    index = ArticleIndexPageFactory(parent=home)
    for number in range(12):  # 10 a page
        ArticlePageFactory(
            parent=index,
            title=f"Article {number:02d}",
            slug=f"a{number}",
            date=date(2026, 1, 1 + number),
            kind="news" if number % 2 else "research",
        )
    first, second = card_titles(client, "/en/articles/"), card_titles(client, "/en/articles/?page=2")
    assert len(first) == 10 and second == ["Article 01", "Article 00"]
    assert card_titles(client, "/en/articles/?page=x") == first  # not a number: the first page
    assert card_titles(client, "/en/articles/?page=99999999999") == second  # past the end: the last page
    news = card_titles(client, "/en/articles/?kind=news")
    assert news == [f"Article {number:02d}" for number in range(11, 0, -2)]
    assert card_titles(client, "/en/articles/") == first  # the filtered page did not replace the unfiltered one


def test_cards_link_their_topics_to_the_listing_they_are_in(client, events_index):
    topic = Topic.objects.create(name="Lighting", slug="lighting")
    for slug, days in (("soon", 10), ("over", -10)):
        start = datetime.now(UTC) + timedelta(days=days)
        event = EventPageFactory(parent=events_index, slug=slug, start=start, end=start + timedelta(hours=2))
        event.tags.add(topic)
        event.save_revision().publish()
    for listing in ("/en/events/", "/en/events/past/"):
        for _visit in range(2):  # rendered, then kept
            links = soup(client.get(listing)).select(".event-card .tag-list a")
            assert [link["href"] for link in links] == [f"{listing}?tag=lighting"]
