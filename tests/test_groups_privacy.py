"""Members-only pages and files stay with the group: nothing of them reaches any public surface, in
any language, for visitors signed out or signed in as anyone else; members see everything, never
from a shared cache.

One working group with a meeting, a draft, an alias and a file is built once for this module
(inside a transaction rolled back at the end); every test runs in its own savepoint on top of it.
The fast tier checks one case of every leak channel; the slow tier every language and visitor
(see ``LEAK_LANGUAGES`` and ``LEAK_VISITORS``).
"""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import BaseViewRestriction, CollectionViewRestriction, Locale, PageViewRestriction, Site
from wagtail.rich_text import RichText

from articles.models import ArticleIndexPage
from events.models import EventIndexPage
from groups.blocks import MembersStreamBlock
from groups.models import MembersAreaPage, MembersDocument, WorkingGroupIndexPage
from groups.setup import DOCUMENT_PERMISSIONS
from home.models import StandardPage
from hub.models import SiteSettings
from partners.permissions import BOARD_GROUP, setup_board
from tests.factories import (
    ArticlePageFactory,
    DraftPageFactory,
    EventPageFactory,
    MeetingPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    WorkingGroupPageFactory,
)
from tests.helpers import make_user, module_data, translate_page

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Words that occur only in members-only material.
MEETING_WORD = "Quokkaflux"
DRAFT_WORD = "Zephyrine"
TEXT_WORD = "vorpalquill"
FILE_WORD = "Snarkwidget"
SECRETS = [MEETING_WORD, DRAFT_WORD, TEXT_WORD, FILE_WORD, "/members/", "snarkwidget-annex"]


def build():
    """The group site: public content in every language, and one group's members-only material."""
    default = Locale.get_default()
    setup_board()
    articles = ArticleIndexPage.objects.get(locale=default)
    ArticlePageFactory(parent=articles, title="Grid guidance", summary="Public guidance.")
    events = EventIndexPage.objects.get(locale=default)
    EventPageFactory(parent=events, title="Grid workshop")
    partners = PartnerIndexPageFactory(parent=articles.get_parent(), slug="orgs")
    alpha = PartnerPageFactory(parent=partners, title="Alpha City")

    section = WorkingGroupIndexPage.objects.get(locale=default)
    group_page = WorkingGroupPageFactory(parent=section, title="Grid security", slug="grid-security")
    group_page.member_organisations.add(alpha)
    group_page.save_revision().publish()
    translate_page(group_page)
    other_page = WorkingGroupPageFactory(parent=section, title="Street lights", slug="street-lights")
    other_page.save_revision().publish()
    group_page.refresh_from_db()
    area = group_page.members_area()

    text = [("paragraph", RichText(f"<p>The {TEXT_WORD} protocol was discussed.</p>"))]
    meeting = MeetingPageFactory(parent=area, title=f"{MEETING_WORD} review", slug="review", minutes=text)
    meeting.save_revision().publish()
    translate_page(meeting)
    # Pages nobody translated yet: their other languages are aliases, as wagtail-localize makes them.
    draft = DraftPageFactory(parent=area, title=f"{DRAFT_WORD} guideline", slug="guideline", body=text)
    draft.save_revision().publish()
    alias_source = MeetingPageFactory(parent=area, title=f"{MEETING_WORD} kick-off", slug="kick-off", minutes=text)
    alias_source.save_revision().publish()
    for code in LANGUAGES[1:]:
        for page in (draft, alias_source):
            page.copy_for_translation(Locale.objects.get(language_code=code), alias=True)

    group = group_page.working_group
    document = get_document_model().objects.create(
        title=f"{FILE_WORD} annex",
        file=ContentFile(b"members-only bytes", name="snarkwidget-annex.txt"),
        collection=group.collection,
    )
    area = area.specific
    area.documents.add(MembersDocument(document=document, tlp="red", description="The annex."))
    area.save_revision().publish()

    member = make_user("member")
    member.groups.add(group.group)
    outsider = make_user("outsider")
    other_member = make_user("other-member")
    other_member.groups.add(other_page.working_group.group)
    board_member = make_user("board")
    board_member.groups.add(Group.objects.get(name=BOARD_GROUP))
    members_only = {
        code: [
            page.get_translation(Locale.objects.get(language_code=code)).url
            for page in (area, meeting, draft, alias_source)
        ]
        for code in LANGUAGES
    }
    return SimpleNamespace(
        group_page=group_page,
        group=group,
        area=area,
        meeting=meeting,
        draft=draft,
        alias=alias_source,
        document=document,
        member=member,
        outsider=outsider,
        other_member=other_member,
        board_member=board_member,
        members_only=members_only,
    )


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The group site, built once for the module and rolled back afterwards."""
    with module_data(django_db_blocker, tmp_path_factory, "group-media"):
        yield build()


@pytest.fixture(autouse=True)
def _media_root():
    """Keep the module's media folder (the group's file) for every test here."""


@pytest.fixture
def page_cache(settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300


def public_urls(site, code):
    """Every public surface of language ``code``: pages, listings, search, feeds, calendars; with English,
    the language-neutral ones too (sitemap, API)."""
    locale = Locale.objects.get(language_code=code)
    urls = [
        f"/{code}/",
        f"/{code}/working-groups/",
        site.group_page.get_translation(locale).url,
        f"/{code}/articles/",
        f"/{code}/articles/feed.rss",
        f"/{code}/articles/feed.atom",
        f"/{code}/events/",
        f"/{code}/events/calendar.ics",
    ]
    urls += [f"/{code}/search/?q={word}" for word in (MEETING_WORD, DRAFT_WORD, TEXT_WORD, FILE_WORD)]
    if code != settings.LANGUAGE_CODE:
        return urls
    return urls + [
        "/sitemap.xml",
        "/robots.txt",
        "/api/v2/pages/?limit=100",
        "/api/v2/pages/?limit=100&type=groups.MeetingPage",
        "/api/v2/pages/?limit=100&type=groups.MembersAreaPage",
        f"/api/v2/pages/?search={TEXT_WORD}",
        f"/api/v2/pages/?search={MEETING_WORD}",
        f"/api/v2/pages/{site.meeting.pk}/",
        f"/api/v2/pages/{site.area.pk}/",
        "/api/v2/documents/",
        f"/api/v2/documents/?search={FILE_WORD}",
        f"/api/v2/documents/{site.document.pk}/",
    ]


def sitemap_parts(client):
    """The sitemaps a sitemap index lists (none when /sitemap.xml is a sitemap itself)."""
    text = client.get("/sitemap.xml").content.decode()
    if "<sitemapindex" not in text:
        return []
    return [
        urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else "")
        for loc in re.findall(r"<loc>([^<]+)</loc>", text)
    ]


def leaks(response, echoed=""):
    """The members-only words a response shows (none is the only right answer).

    ``echoed`` is a word the page repeats because the visitor typed it (a search): it is left out,
    while every other word, and any link into a members' area, still counts.
    """
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace").lower()
    if echoed:
        text = text.replace(echoed.lower(), "")
    return [secret for secret in SECRETS if secret.lower() in text]


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- The restriction follows the group's subtree ------------------------------------------


@pytest.mark.django_db
def test_every_locale_has_its_members_area_restricted_to_the_group_and_the_board(site):
    board = Group.objects.get(name=BOARD_GROUP)
    areas = MembersAreaPage.objects.filter(translation_key=site.area.translation_key)
    assert sorted(area.locale.language_code for area in areas) == sorted(LANGUAGES)
    for area in areas:
        (restriction,) = PageViewRestriction.objects.filter(page=area)
        assert restriction.restriction_type == BaseViewRestriction.GROUPS
        assert set(restriction.groups.all()) == {site.group.group, board}
    (collection_restriction,) = CollectionViewRestriction.objects.filter(collection=site.group.collection)
    assert set(collection_restriction.groups.all()) == {site.group.group, board}


@pytest.mark.django_db
def test_a_removed_or_loosened_restriction_is_put_back(site, django_capture_on_commit_callbacks):
    spanish = site.area.get_translation(Locale.objects.get(language_code="es"))
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=spanish).delete()
    assert PageViewRestriction.objects.get(page=spanish).restriction_type == BaseViewRestriction.GROUPS
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.get(page=site.area)
        restriction.restriction_type = BaseViewRestriction.LOGIN
        restriction.save()
    (restriction,) = PageViewRestriction.objects.filter(page=site.area)
    assert restriction.restriction_type == BaseViewRestriction.GROUPS
    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.filter(collection=site.group.collection).delete()
    assert CollectionViewRestriction.objects.filter(collection=site.group.collection).count() == 1
    assert client_for(None).get(site.members_only["es"][1]).status_code == 302


@pytest.mark.django_db
def test_shared_passwords_and_images_are_not_offered_for_members_only_material(site):
    assert settings.WAGTAIL_PRIVATE_PAGE_OPTIONS == {"SHARED_PASSWORD": False}
    assert settings.WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS == {"SHARED_PASSWORD": False}
    assert "image" not in MembersStreamBlock.base_blocks
    paragraph = MembersStreamBlock.base_blocks["paragraph"]
    assert not {"image", "embed", "document-link"} & set(paragraph.features)
    # Sharing fields (social image) are not editable on members-only pages.
    panel_fields = {getattr(panel, "field_name", None) for panel in type(site.meeting).promote_panels}
    assert "social_image" not in panel_fields
    # The group may upload documents to its collection, and nothing else.
    granted = {p.permission.codename for p in site.group.group.collection_permissions.all()}
    assert granted == set(DOCUMENT_PERMISSIONS)


# --- Nothing leaks ------------------------------------------------------------------------


def _slow_unless(fast, values):
    return [pytest.param(value, marks=[] if value in fast else [pytest.mark.slow]) for value in values]


# The fast tier keeps one case of every leak channel: English carries the language-neutral surfaces
# (sitemap, API, the group's file) and Arabic a translated language (translations, the aliases of
# untranslated pages, right-to-left pages); signed out is the page cache's visitor, a member of
# another group the signed-in one (who holds a group, unlike the outsider). Spanish and French repeat
# Arabic's channels and the outsider the other member's: the slow tier runs every combination.
LEAK_LANGUAGES = _slow_unless({settings.LANGUAGE_CODE, "ar"}, LANGUAGES)
LEAK_VISITORS = _slow_unless({"anonymous", "other-member"}, ["anonymous", "outsider", "other-member"])


@pytest.mark.django_db
@pytest.mark.parametrize("code", LEAK_LANGUAGES)
@pytest.mark.parametrize("who", LEAK_VISITORS)
def test_nothing_of_a_members_only_page_or_file_reaches_a_public_surface(site, who, code, page_cache):
    """Signed out, as a partner in no group, and as a member of another group; one language at a time."""
    user = {"anonymous": None, "outsider": site.outsider, "other-member": site.other_member}[who]
    # A member has just looked at everything: nothing of it may have been kept for anyone else.
    member = client_for(site.member)
    for url in site.members_only[code]:
        assert member.get(url).status_code == 200
    client = client_for(user)
    # The sitemap's parts and the group's file are the same in every language: checked with English.
    neutral = code == settings.LANGUAGE_CODE
    for url in public_urls(site, code) + (sitemap_parts(client) if neutral else []):
        response = client.get(url)
        assert response.status_code < 500, url
        assert leaks(response, echoed=url.partition("q=")[2]) == [], url
        if url.split("/")[4:5] and url.split("/")[4].isdigit():  # an API detail: not found
            assert client.get(url, follow=True).status_code == 404, url
    for url in site.members_only[code]:
        for attempt in (1, 2):  # the second would be a cache hit if the first had been stored
            response = client.get(url)
            # A 404 page repeats the address in its language links (with each language's prefix).
            assert leaks(response, echoed=url.split("/", 2)[2]) == [], (url, attempt)
            if user is None:
                assert response.status_code == 302, url
                assert response["Location"].startswith(settings.WAGTAIL_FRONTEND_LOGIN_URL)
            else:
                assert response.status_code == 404, url
    for _attempt in (1, 2) if neutral else ():
        response = client.get(site.document.url)
        assert response.status_code == 404
        assert leaks(response, echoed=site.document.filename) == []  # the 404 page repeats the address


@pytest.mark.django_db
def test_an_editors_pick_of_a_members_only_page_is_not_shown(site):
    pick = Query.get(MEETING_WORD.lower())
    SearchPromotion.objects.create(query=pick, page=site.meeting, sort_order=0, description="A pick")
    response = Client().get(f"/en/search/?q={MEETING_WORD}")
    assert leaks(response, echoed=MEETING_WORD) == []
    assert "A pick" not in response.content.decode()


@pytest.mark.django_db
def test_the_sitemap_lists_the_public_summary_and_nothing_below_it(site):
    client = Client()
    text = "".join(client.get(url).content.decode() for url in ["/sitemap.xml", *sitemap_parts(client)])
    assert "/en/working-groups/grid-security/</loc>" in text
    assert "/members/" not in text


@pytest.mark.django_db
def test_the_public_summary_names_no_members_only_page(site):
    for code in LANGUAGES:
        locale = Locale.objects.get(language_code=code)
        response = Client().get(site.group_page.get_translation(locale).url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Grid security" in html or code != "en"
        assert "Alpha City" in html  # member organisations are public
        assert leaks(response) == []
        assert 'hreflang="' in html


# --- Members (and the Board) see it all, never from a shared cache --------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "board_member"])
def test_members_and_the_board_see_everything_in_every_language(site, who, page_cache):
    client = client_for(getattr(site, who))
    for code in LANGUAGES:
        pages = []
        for url in site.members_only[code]:
            response = client.get(url)
            assert response.status_code == 200, url
            cache_control = response["Cache-Control"]
            assert "private" in cache_control and "no-store" in cache_control, url
            assert "X-Cache" not in response
            assert response.headers.get("Content-Language", code) == code
            pages.append(response.content.decode())
        area, meeting = pages[:2]
        assert MEETING_WORD in meeting and TEXT_WORD in meeting
        assert 'class="tlp tlp--amber"' in meeting and "TLP:AMBER" in meeting
        if code == settings.LANGUAGE_CODE:
            english_area = area
    area = english_area
    assert f"{FILE_WORD} annex" in area and "TLP:RED" in area
    assert f"{DRAFT_WORD} guideline" in area
    # Signed out again, the same addresses give nothing.
    assert Client().get(site.members_only["en"][1]).status_code == 302


@pytest.mark.django_db
def test_a_group_file_is_served_to_members_only_and_never_cached(site):
    assert site.document.url.startswith("/documents/"), "files go through the permission-checking view"
    assert not site.document.url.startswith(settings.MEDIA_URL)
    for user in (None, site.outsider, site.other_member):
        assert client_for(user).get(site.document.url).status_code == 404
    for user in (site.member, site.board_member):
        response = client_for(user).get(site.document.url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"members-only bytes"
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_page_made_private_stops_being_served_from_the_page_cache(site, page_cache):
    page = StandardPage(title="Open notes", slug="open-notes", introduction="Soon private.")
    site.group_page.get_parent().get_parent().add_child(instance=page)
    page.save_revision().publish()
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # made on first use, which empties the cache
    anonymous = Client()
    assert anonymous.get(page.url)["X-Cache"] == "miss"
    assert anonymous.get(page.url)["X-Cache"] == "hit"
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=BaseViewRestriction.GROUPS)
    restriction.groups.set([site.group.group])
    assert anonymous.get(page.url).status_code == 302
