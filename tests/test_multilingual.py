"""Multilingual behaviour: aliases and notices, sitemap alternates, translators, status, PO round trip."""

import re

import polib
import pytest
from django_tasks import default_task_backend

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation as django_translation

from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

from home.models import StandardPage
from hub.groups import sync_translators_group
from hub.labels import topic_labels
from hub.models import Topic, TopicLabel
from hub.templatetags.hub_tags import topic_label
from hub.translation import translate
from tests.factories import StandardPageFactory
from tests.helpers import sitemap_text, translate_page
from tests.html import hreflang_links, soup, switcher_links


@pytest.fixture
def about(home):
    """An English page with aliases in every other locale (wagtail-localize locale sync)."""
    page = StandardPageFactory(parent=home, title="About", slug="about", introduction="Who we are.")
    for locale in Locale.objects.exclude(pk=home.locale_id):
        synchronize_tree(home.locale, locale)
    return page


@pytest.mark.django_db
def test_untranslated_page_is_an_alias_with_notice(client, about):
    response = client.get("/es/about/")
    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == "es"
    notice = html.select_one(".notice--untranslated")
    assert notice and "no se ha traducido" in notice.get_text()
    assert html.find("main")["lang"] == "en"
    assert html.select_one('link[rel="canonical"]')["href"] == "http://testserver/en/about/"
    assert hreflang_links(response) == {}


@pytest.mark.django_db
def test_translated_page_replaces_alias_and_gains_alternates(client, about):
    translate_page(about, codes=["fr"])
    response = client.get("/fr/about/")
    assert not soup(response).select(".notice--untranslated")
    links = hreflang_links(response)
    assert set(links) == {"en", "fr", "x-default"}
    # The English page lists the French one back, but not the Spanish alias.
    assert set(hreflang_links(client.get("/en/about/"))) == {"en", "fr", "x-default"}


@pytest.mark.django_db
def test_switcher_leads_to_same_page_or_locale_home(client, about):
    links = switcher_links(client.get("/en/about/"))
    assert links == {"en": "/en/about/", "es": "/es/about/", "fr": "/fr/about/", "ar": "/ar/about/"}
    Page.objects.filter(locale__language_code="ar", slug="about").delete()
    assert switcher_links(client.get("/en/about/"))["ar"] == "/ar/"


@pytest.mark.django_db
def test_sitemap_lists_translations_with_alternates_and_skips_aliases(client, about):
    translate_page(about, codes=["es"])
    body = sitemap_text(client)
    locations = re.findall(r"<loc>([^<]+)</loc>", body)
    assert "http://testserver/en/about/" in locations
    assert "http://testserver/es/about/" in locations
    assert "http://testserver/fr/about/" not in locations  # alias: duplicate content
    entry = body[body.index("<loc>http://testserver/en/about/</loc>") :].split("</url>")[0]
    assert 'hreflang="es" href="http://testserver/es/about/"' in entry
    assert 'hreflang="x-default" href="http://testserver/en/about/"' in entry
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


# --- Translators and the status view --------------------------------------------------


@pytest.fixture
def translator(about, client):
    user = User.objects.create_user("translator", "t@example.org", "pw-translator-123")
    user.groups.add(sync_translators_group())
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_translators_may_edit_translations_but_not_sources(client, translator, about):
    spanish = Page.objects.get(locale__language_code="es", slug="about")
    assert client.get(reverse("wagtailadmin_pages:edit", args=[spanish.pk])).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[about.pk]))
    assert response.status_code in {302, 403}
    assert Group.objects.get(name="Translators").permissions.filter(codename="submit_translation").exists()


def _status_cells(response):
    html = soup(response)
    rows = {}
    for tr in html.select("table.listing tbody tr"):
        header = tr.find("th")
        if header and tr.select("td.translation-status"):
            rows[header.get_text(" ", strip=True)] = [td.get_text(" ", strip=True) for td in tr.select("td")]
    return rows


@pytest.mark.django_db
def test_status_view_shows_translated_outdated_and_missing(
    client, admin_user, about, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    # Translate into Spanish through wagtail-localize's own records.
    source, _ = TranslationSource.get_or_create_from_instance(about)
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.create(
            source=source, target_locale=Page.objects.get(locale__language_code="es", depth=2).locale
        ).save_target(publish=True)
    url = reverse("hub_translation_status")
    cells = _status_cells(client.get(url))["About"]
    assert cells == ["Missing: translate", "Translated", "Missing: translate"]  # ar, es, fr

    # A later change to the English source makes the Spanish translation out of date.
    about.introduction = "Who we are, revised."
    about.save_revision().publish()
    cells = _status_cells(client.get(url))["About"]
    assert cells[1] == "Out of date: update"
    assert "Missing" in cells[0]
    assert client.get(url + "?locale=es").status_code == 200
    assert client.get(url + "?locale=<script>").status_code == 200


@pytest.mark.django_db
def test_status_view_refused_without_translation_rights(client, about):
    user = User.objects.create_user("visitor", "v@example.org", "pw-visitor-123")
    client.force_login(user)
    assert client.get(reverse("hub_translation_status")).status_code in {302, 403}


# --- Background subtree translation and the PO round trip ------------------------------


@pytest.mark.django_db
def test_subtree_translation_runs_as_a_background_task(client, admin_user, home, locales, settings):
    parent = StandardPageFactory(parent=home, title="Guides", slug="guides")
    child = StandardPageFactory(parent=parent, title="Guide one", slug="guide-one")
    client.force_login(admin_user)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[parent.pk]),
        {"locales": [locales["fr"].pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    assert parent.has_translation(locales["fr"])
    assert not child.has_translation(locales["fr"])  # queued, not done in the request
    jobs = [result for result in default_task_backend.results if result.task.name == "run_localize_job"]
    assert len(jobs) == 1
    jobs[0].task.call(*jobs[0].args, **jobs[0].kwargs)  # what the worker does
    assert child.has_translation(locales["fr"])


@pytest.mark.django_db
def test_po_export_translate_import_publishes(client, admin_user, about, locales, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    source, _ = TranslationSource.get_or_create_from_instance(about)
    translation = Translation.objects.create(source=source, target_locale=locales["fr"])
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    exported = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert exported.status_code == 200
    po = polib.pofile(exported.content.decode())
    for entry in po:
        entry.msgstr = {"About": "À propos", "Who we are.": "Qui nous sommes."}.get(entry.msgid, entry.msgid)
    upload = SimpleUploadedFile("about-fr.po", str(po).encode(), content_type="text/x-gettext-translation")
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]), {"file": upload, "next": "/admin/"}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)  # what "Publish" in the translation editor does
    french = StandardPage.objects.get(locale=locales["fr"], translation_key=about.translation_key)
    assert french.live and french.title == "À propos" and french.introduction == "Qui nous sommes."
    assert soup(client.get("/fr/about/")).h1.get_text(strip=True) == "À propos"


@pytest.mark.django_db
def test_machine_translation_fills_a_translation_offline(
    client, admin_user, about, locales, django_capture_on_commit_callbacks
):
    """A translator's "Machine translate" fills every segment; tests use the dummy, never a network service."""
    client.force_login(admin_user)
    source, _ = TranslationSource.get_or_create_from_instance(about)
    translation = Translation.objects.create(source=source, target_locale=locales["fr"])
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    response = client.post(reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": "/admin/"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    # The dummy translator reverses the words of each segment.
    french = StandardPage.objects.get(locale=locales["fr"], translation_key=about.translation_key)
    assert french.introduction == "are. we Who"
    assert "are. we Who" in client.get("/fr/about/").content.decode()


# --- Topic labels and footer text ---------------------------------------------------------


@pytest.mark.django_db
def test_topic_keeps_one_slug_and_gets_translated_labels(locales):
    topic = Topic.objects.create(name="Critical infrastructure", slug="critical-infrastructure")
    english = TopicLabel.objects.get(topic=topic, locale=locales["en"])
    assert english.name == "Critical infrastructure"
    translate(english, {"Critical infrastructure": {"es": "Infraestructuras críticas"}}, languages=["es"])
    spanish = TopicLabel.objects.get(topic=topic, locale=locales["es"])
    assert spanish.translation_key == english.translation_key and spanish.topic_id == topic.pk
    assert topic_labels("es")[topic.pk] == "Infraestructuras críticas"
    assert topic_labels("fr")[topic.pk] == "Critical infrastructure"  # falls back to English
    with django_translation.override("es"):
        assert topic_label(topic) == "Infraestructuras críticas"
    assert Topic.objects.filter(slug="critical-infrastructure").count() == 1
