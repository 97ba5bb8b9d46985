"""Site-wide parts kept per page-cache generation (``hub.memo``): menu, footer, home sections.

With the whole-page cache off, these are the only caches of a render: every visible change must
show on the next request, in every language, drafts and private pages never, and a cache that is
down must only make pages slower.
"""

import pytest

from wagtail.models import PageViewRestriction

from hub import invalidation, memo, page_cache
from hub.models import FooterText
from partners.models import PartnerType
from tests.factories import PartnerIndexPageFactory, PartnerPageFactory, StandardPageFactory
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
