"""Install = migrate: the test database is made by ``migrate`` alone (no demo content), and must be a
working, translatable site whose admin flows work; its public address comes from configuration."""

import io
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from icalendar import Calendar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Revision,
    Site,
    WorkflowPage,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from articles.models import ArticleIndexPage, ArticlePage
from events.models import EventIndexPage, EventPage
from groups.models import WorkingGroupIndexPage
from home.models import HomePage
from hub.site_address import apply_site_address, check_site_address, configured_address
from partners.choices import PartnerType
from partners.models import ContributorsPage, JoinPage, PartnerIndexPage, PartnerPage
from partners.permissions import BOARD_GROUP
from tests.admin_forms import event_form
from tests.factories import ArticlePageFactory, EventPageFactory
from tests.helpers import sitemap_text
from tests.html import hreflang_links, soup

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SECTIONS = {
    "articles": (ArticleIndexPage, {"en": "Articles", "es": "Artículos", "fr": "Articles", "ar": "المقالات"}),
    "events": (EventIndexPage, {"en": "Events", "es": "Eventos", "fr": "Événements", "ar": "الفعاليات"}),
    "partners": (PartnerIndexPage, {"en": "Partners", "es": "Socios", "fr": "Partenaires", "ar": "الشركاء"}),
    "contributors": (
        ContributorsPage,
        {"en": "Contributors", "es": "Colaboradores", "fr": "Contributeurs", "ar": "المساهمون"},
    ),
    "join": (JoinPage, {"en": "Join", "es": "Únase", "fr": "Adhérer", "ar": "انضم إلينا"}),
}
PASSWORD = "a-long-test-password"
ATOM = "http://www.w3.org/2005/Atom"


def english(model):
    """The installed English page of ``model``."""
    return model.objects.get(locale__language_code=settings.LANGUAGE_CODE)


def user_in(group_name, username):
    """A user with a known password in the installed group ``group_name``."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


# --- What migrate installs --------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_locale_and_section_serves_after_migrate_alone(client, code):
    home = client.get(f"/{code}/")
    assert home.status_code == 200
    assert soup(home).html["lang"] == code
    menu = {a["href"]: a.get_text(strip=True) for a in soup(home).select(".main-nav a")}
    for slug, (_model, titles) in SECTIONS.items():
        response = client.get(f"/{code}/{slug}/")
        assert response.status_code == 200, slug
        assert soup(response).h1.get_text(strip=True) == titles[code]
        assert menu[f"/{code}/{slug}/"] == titles[code]


def test_one_home_page_translated_with_wagtail_localize_as_the_site_root():
    site = Site.objects.get(is_default_site=True)
    home = HomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
    assert site.root_page_id == home.pk and home.slug == "home" and home.depth == 2
    assert list(Page.objects.filter(depth=2).exclude(content_type__model="homepage")) == []  # no "Welcome" page
    for model in [HomePage, *(model for model, _titles in SECTIONS.values())]:
        source = english(model)
        versions = {page.locale.language_code: page for page in source.get_translations(inclusive=True)}
        assert set(versions) == set(LANGUAGES), model
        for code, page in versions.items():
            assert page.live and page.alias_of_id is None, (model, code)
        targets = Translation.objects.filter(source__object_id=source.translation_key).values_list(
            "target_locale__language_code", flat=True
        )
        assert sorted(targets) == sorted(code for code in LANGUAGES if code != settings.LANGUAGE_CODE), model
    assert HomePage.objects.get(locale__language_code="es").title == "Inicio"


def test_groups_workflow_and_collections_are_installed():
    board, translators, template = (
        Group.objects.get(name=name) for name in ["Board", "Translators", "Partner template"]
    )
    assert {"access_admin", "invite_partner", "change_membershipapplication", "change_person"} <= set(
        board.permissions.values_list("codename", flat=True)
    )
    assert GroupPagePermission.objects.filter(
        group=board, page=Page.get_first_root_node(), permission__codename="publish_page"
    ).exists()
    assert GroupCollectionPermission.objects.filter(group=board, collection=Collection.get_first_root_node()).exists()
    assert {"access_admin", "submit_translation", "change_person", "change_footertext", "change_topiclabel"} <= set(
        translators.permissions.values_list("codename", flat=True)
    )
    translated_homes = {
        p.page.locale.language_code for p in translators.page_permissions.filter(permission__codename="publish_page")
    }
    assert translated_homes == {code for code in LANGUAGES if code != settings.LANGUAGE_CODE}
    proposal_pages = template.page_permissions.filter(permission__codename="add_page").values_list("page", flat=True)
    assert set(proposal_pages) == {
        *ArticleIndexPage.objects.values_list("pk", flat=True),
        *EventIndexPage.objects.values_list("pk", flat=True),
    }
    for model in [ArticleIndexPage, EventIndexPage, PartnerIndexPage]:
        for page in model.objects.all():
            assert WorkflowPage.objects.get(page=page).workflow.name == "Board review", (model, page.locale)
            assert page.get_workflow().tasks.get().specific.groups.filter(pk=board.pk).exists()


def snapshot():
    """What migrate made, as comparable values."""
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "slug", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.values_list("hostname", "port", "root_page_id", "is_default_site", "site_name")),
        "locales": sorted(Locale.objects.values_list("language_code", flat=True)),
        "groups": {
            group.name: sorted(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()
        },
        "page_permissions": sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        "collection_permissions": sorted(GroupCollectionPermission.objects.values_list("group_id", "collection_id")),
        "workflow_pages": sorted(WorkflowPage.objects.values_list("page_id", "workflow_id")),
        "translations": sorted(Translation.objects.values_list("source_id", "target_locale_id")),
        "string_translations": StringTranslation.objects.count(),
        "collections": list(Collection.objects.values_list("path", "name")),
    }


def test_running_migrate_again_changes_nothing():
    before = snapshot()
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert snapshot() == before


# --- The public address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("public_url", "admin_url", "address"),
    [
        ("", "https://hub.example.org", ("hub.example.org", 443)),
        ("", "http://testserver", ("testserver", 80)),
        ("http://127.0.0.1:8111/", "https://hub.example.org", ("127.0.0.1", 8111)),
    ],
)
def test_public_address_is_hub_public_url_or_the_admin_address(settings, public_url, admin_url, address):
    settings.HUB_PUBLIC_URL, settings.WAGTAILADMIN_BASE_URL = public_url, admin_url
    assert configured_address() == address
    apply_site_address()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == (public_url or admin_url).rstrip("/")


def test_public_address_reaches_every_absolute_link(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://hub.example.org"
    assert check_site_address()[0].id == "hub.W001"  # the Site still has the old address
    apply_site_address()
    assert check_site_address() == []
    base = "https://hub.example.org/"
    article = ArticlePageFactory(parent=english(ArticleIndexPage), title="Parking meters", slug="parking-meters")
    event = EventPageFactory(parent=english(EventIndexPage), title="Workshop", slug="workshop")

    page = client.get("/en/")
    assert soup(page).select_one('link[rel="canonical"]')["href"] == base + "en/"
    assert hreflang_links(page) == {
        "en": base + "en/",
        "es": base + "es/",
        "fr": base + "fr/",
        "ar": base + "ar/",
        "x-default": base + "en/",
    }
    search = client.get("/en/search/?q=parking")
    assert soup(search).select_one('link[rel="canonical"]')["href"] == base + "en/search/"
    assert f"Sitemap: {base}sitemap.xml" in client.get("/robots.txt").content.decode()

    index = client.get("/sitemap.xml").content.decode()
    sitemap = sitemap_text(client)
    addresses = re.findall(r"<loc>([^<]+)</loc>", index + sitemap) + re.findall(r'href="([^"]+)"', sitemap)
    assert f"{base}en/articles/parking-meters/" in addresses and f"{base}es/" in addresses
    assert all(address.startswith(base) for address in addresses), addresses

    rss = ElementTree.fromstring(client.get("/en/articles/feed.rss").content)  # noqa: S314 (our own feed)
    assert rss.findtext("channel/item/guid") == base + "en/articles/parking-meters/"
    links = [rss.findtext("channel/link"), rss.findtext("channel/item/link")]
    links += [link.get("href") for link in rss.iter(f"{{{ATOM}}}link")]
    assert links and all(link.startswith(base) for link in links), links
    atom = ElementTree.fromstring(client.get("/en/articles/feed.atom").content)  # noqa: S314 (our own feed)
    assert [element.text for element in atom.iter(f"{{{ATOM}}}id")] == [
        base + "en/articles/",
        base + "en/articles/parking-meters/",
    ]
    assert all(link.get("href").startswith(base) for link in atom.iter(f"{{{ATOM}}}link"))

    for path in ["/en/events/workshop/event.ics", "/en/events/calendar.ics"]:
        calendar = Calendar.from_ical(client.get(path).content)
        assert [str(entry["URL"]) for entry in calendar.walk("VEVENT")] == [base + "en/events/workshop/"], path
    assert urlsplit(article.full_url).netloc == urlsplit(event.full_url).netloc == "hub.example.org"


# --- The admin flows, on a database with no demo content --------------------------------------


def partner_form(**changes):
    data = {
        "title": "Alpha City",
        "slug": "alpha-city",
        "partner_type": PartnerType.CITY_AUTHORITY,
        "country": "ES",
        "website": "https://alpha.example.org",
        "summary": "A city that tests its sensors.",
        "body": streamfield([]),
        "topics": "",
        "seo_title": "",
        "search_description": "",
        "social_text": "",
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


def article_form():
    return nested_form_data(
        {
            "title": "Smart parking meters under test",
            "slug": "smart-parking-meters",
            "kind": "research",
            "date": "2026-01-15",
            "summary": "Parking meters accepted forged payment tokens.",
            "body": streamfield([("paragraph", rich_text("<p>What we found.</p>"))]),
            "tags": "",
            "authors": inline_formset([]),
            "downloads": inline_formset([]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "social_text": "",
            "action-submit": "submit",
        }
    )



def _proposed_event():
    """A partner's proposed workshop next January: submitted to the Board, not published."""
    year = timezone.now().year + 1
    data = event_form(
        title="Sensor security workshop",
        slug="sensor-security-workshop",
        start_local=f"{year}-01-15 10:00",
        end_local=f"{year}-01-15 12:00",
        summary="Hands-on testing of street sensors.",
    )
    data.pop("action-publish")
    data["action-submit"] = "submit"
    return data


def form_errors(response):
    """The admin form's errors, to explain a failed submission."""
    return response.context["form"].errors.as_text() if response.context and "form" in response.context else ""


def test_invitation_proposals_board_review_and_translation_through_the_admin(client):
    # The Board adds a partner organisation and invites its editor.
    board = user_in("Board", "board-member")
    client.force_login(board)
    directory = english(PartnerIndexPage)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("partners", "partnerpage", directory.pk)),
        partner_form(**{"action-publish": "publish"}),
    )
    assert response.status_code == 302, form_errors(response)
    partner = PartnerPage.objects.get(slug="alpha-city", locale=directory.locale)
    assert partner.live and client.get("/en/partners/alpha-city/").status_code == 200
    invite_url = reverse("partners_invite")
    assert client.get(f"{invite_url}?partner={partner.pk}").status_code == 200
    response = client.post(invite_url, {"partner": partner.pk, "email": "editor@alpha.example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["editor@alpha.example.org"]

    # The editor sets a password from the mail and signs in.
    client.logout()
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+)", mail.outbox[-1].body).group(1)
    response = client.get(link, follow=True)
    new_password = "correct horse battery staple 42"
    client.post(response.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert client.login(username="editor@alpha.example.org", password=new_password)

    # The partner edits its profile and proposes an article and an event: all wait for the Board.
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[partner.pk]),
        partner_form(summary="A city that tests every sensor it buys.", **{"action-submit": "submit"}),
    )
    assert response.status_code == 302, form_errors(response)
    articles, events = english(ArticleIndexPage), english(EventIndexPage)
    for index, app, model, form in [
        (articles, "articles", "articlepage", article_form()),
        (events, "events", "eventpage", _proposed_event()),
    ]:
        response = client.post(reverse("wagtailadmin_pages:add", args=(app, model, index.pk)), form)
        assert response.status_code == 302, form_errors(response)
    article = ArticlePage.objects.get(slug="smart-parking-meters", locale=articles.locale)
    event = EventPage.objects.get(slug="sensor-security-workshop", locale=events.locale)
    for page in (partner, article, event):
        page.refresh_from_db()
        assert page.current_workflow_state.workflow.name == "Board review", page
    assert not article.live and not event.live
    assert "every sensor" not in client.get("/en/partners/alpha-city/").content.decode()

    # The Board approves: everything goes live.
    client.force_login(board)
    for page in (partner, article, event):
        state = page.current_workflow_task_state
        url = f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/"
        assert client.post(url, {"comment": "Thank you"}).status_code in (200, 302)
        page.refresh_from_db()
        assert page.live and not page.has_unpublished_changes, page
    assert "every sensor" in client.get("/en/partners/alpha-city/").content.decode()
    assert client.get("/en/articles/smart-parking-meters/").status_code == 200
    assert client.get("/en/events/sensor-security-workshop/").status_code == 200

    # A translator translates the article into Spanish with wagtail-localize, and publishes it.
    translator = user_in("Translators", "translator")
    client.force_login(translator)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).status_code in (302, 403)
    spanish = Locale.objects.get(language_code="es")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[article.pk]), {"locales": [spanish.pk]}
    )
    assert response.status_code == 302
    translated = article.get_translation(spanish)
    assert response.url == reverse("wagtailadmin_pages:edit", args=[translated.pk])
    assert client.get(response.url).status_code == 200  # wagtail-localize's translation editor
    translation = Translation.objects.get(source__object_id=article.translation_key, target_locale=spanish)
    for english_text, spanish_text in [
        ("Smart parking meters under test", "Parquímetros inteligentes a prueba"),
        ("Parking meters accepted forged payment tokens.", "Los parquímetros aceptaban fichas de pago falsificadas."),
    ]:
        segment = StringSegment.objects.get(source=translation.source, string__data=english_text)
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
        response = client.put(url, f"value={spanish_text}", content_type="application/x-www-form-urlencoded")
        assert response.status_code in (200, 201), response.content
    response = client.post(reverse("wagtailadmin_pages:edit", args=[translated.pk]), {"action": "publish"})
    assert response.status_code == 302
    translated.refresh_from_db()
    assert translated.live and translated.alias_of_id is None
    spanish_page = client.get("/es/articles/smart-parking-meters/").content.decode()
    assert "Parquímetros inteligentes a prueba" in spanish_page
    assert "Los parquímetros aceptaban fichas de pago falsificadas." in client.get("/es/articles/").content.decode()


# --- Working groups (tests/test_groups.py builds its own tree) ----------------------------------


def test_migrate_installs_the_section_in_every_language(db):
    sections = WorkingGroupIndexPage.objects.filter(alias_of__isnull=True)
    assert {page.locale.language_code for page in sections} == {"en", "es", "fr", "ar"}
    assert {page.url for page in sections} == {f"/{code}/working-groups/" for code in ("en", "es", "fr", "ar")}


def test_board_may_edit_working_groups(db):
    board = Group.objects.get(name=BOARD_GROUP)
    assert board.permissions.filter(codename="change_workinggroup").exists()
    assert Permission.objects.filter(codename="change_workinggroup").exists()
    assert Page.objects.type(WorkingGroupIndexPage).exists()
