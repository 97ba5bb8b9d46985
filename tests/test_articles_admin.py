"""Editors and documents: the admin publishing flow, upload limits, per-language downloads."""

import datetime
import io
from unittest import mock

import feedparser
import pytest
from PIL import Image

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission, Locale

from articles.models import ArticleDownload, ArticlePage
from hub.models import Topic
from tests.admin_forms import article_form
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from tests.helpers import translate_page
from tests.html import soup


@pytest.fixture
def index(home):
    page = ArticleIndexPageFactory(parent=home)
    translate_page(page)
    return page


@pytest.fixture
def editor(db, client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client.force_login(user)
    return user


def pdf_bytes():
    """A real one-page PDF (Pillow writes it)."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, format="PDF")
    return buffer.getvalue()


def make_document(name="guide.pdf", title="Guide"):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(pdf_bytes()), save=False)
    document.save()
    return document


@pytest.mark.django_db
def test_editor_creates_previews_schedules_and_publishes_an_article(client, editor, index):
    ArticlePageFactory(parent=index, title="Older article", slug="older", date=datetime.date(2025, 1, 1))
    Topic.objects.create(name="Parking", slug="parking")
    add_url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", index.pk))
    assert client.get(add_url).status_code == 200

    # Preview before saving.
    preview_url = reverse("wagtailadmin_pages:preview_on_add", args=("articles", "articlepage", index.pk))
    response = client.post(preview_url, article_form())
    assert response.json()["is_valid"] is True
    preview = client.get(preview_url)
    assert preview.status_code == 200 and "Smart parking meters under test" in preview.content.decode()

    # Schedule for tomorrow: saved, approved for publishing, not yet live.
    go_live = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(add_url, article_form(go_live_at=go_live, **{"action-publish": "publish"}))
    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.get(slug="smart-parking-meters", locale=index.locale)
    assert not article.live and article.scheduled_revision is not None
    assert [tag.slug for tag in article.tags.all()] == ["parking"]
    assert "Smart parking" not in client.get("/en/articles/").content.decode()

    # A day later the scheduler publishes it.
    tomorrow = timezone.now() + datetime.timedelta(days=1, hours=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        call_command("publish_scheduled", stdout=io.StringIO())
    article.refresh_from_db()
    assert article.live

    client.logout()
    listing = soup(client.get("/en/articles/"))
    assert listing.select_one(".article-card h2").get_text(strip=True) == "Smart parking meters under test"
    by_topic = soup(client.get("/en/articles/?tag=parking"))
    assert [h.get_text(strip=True) for h in by_topic.select(".article-card h2")] == ["Smart parking meters under test"]
    for suffix in ("rss", "atom"):
        feed = feedparser.parse(client.get(f"/en/articles/feed.{suffix}").content)
        assert feed.entries[0].title == "Smart parking meters under test"
    results = soup(client.get("/en/search/?q=parking"))
    assert "Smart parking meters under test" in results.get_text()

    # Other locales got an alias from wagtail-localize: listed in English, marked, until translated
    # (README, "Translation policy").
    assert ArticlePage.objects.filter(locale__language_code="es", alias_of=article).exists()
    card = soup(client.get("/es/articles/")).select_one(".article-card")
    assert card.select_one(".card__title")["lang"] == "en" and card.select_one(".marker--language")
    assert "<dc:language>en</dc:language>" in client.get("/es/articles/feed.rss").content.decode()
    result = soup(client.get("/es/search/?q=parking")).select_one(".search-result")
    assert result.select_one("[lang=en]") and result.select_one(".marker--language")


@pytest.mark.django_db
def test_partner_with_add_permission_edits_only_own_articles(client, index):
    """Wagtail's owner-based permissions: 'add' lets a user create articles and edit the ones they own."""
    group = Group.objects.create(name="Partner test")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=group, page=index, permission=Permission.objects.get(codename="add_page"))
    user = get_user_model().objects.create_user("partner", "p@example.org", "a-long-test-password")
    user.groups.add(group)
    client.force_login(user)
    theirs = ArticlePageFactory(parent=index, owner=user)
    someone_elses = ArticlePageFactory(parent=index)
    assert client.get(reverse("wagtailadmin_pages:add", args=("articles", "articlepage", index.pk))).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=(theirs.pk,))).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=(someone_elses.pk,))).status_code in (302, 403)


# --- Documents ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["tool.exe", "page.html", "script.svg"])
def test_upload_of_a_disallowed_type_is_refused_with_a_form_error(client, editor, name):
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Bad", "file": SimpleUploadedFile(name, b"MZ\x90\x00 not allowed")}
    )
    assert response.status_code == 200
    errors = str(response.context["form"].errors["file"])
    assert "Not a supported document format" in errors or "extension" in errors.lower()
    assert not get_document_model().objects.filter(title="Bad").exists()


@pytest.mark.django_db
def test_upload_over_the_size_limit_is_refused_with_a_form_error(client, editor, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Big", "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4096)}
    )
    assert response.status_code == 200
    assert "too big" in str(response.context["form"].errors["file"]).lower()
    assert not get_document_model().objects.filter(title="Big").exists()


@pytest.mark.django_db
def test_allowed_upload_is_accepted(client, editor):
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Fine", "file": SimpleUploadedFile("fine.pdf", pdf_bytes())}
    )
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="Fine").exists()


@pytest.mark.django_db
def test_a_translation_can_point_at_its_own_languages_document(client, index):
    english_doc, spanish_doc = make_document("guide-en.pdf", "Guide"), make_document("guia-es.pdf", "Guía")
    article = ArticlePageFactory(parent=index, slug="guide")
    ArticleDownload.objects.create(page=article, document=english_doc, title="Guide", locale=article.locale)
    article.save_revision().publish()
    spanish = translate_page(article, codes=["es"])["es"]
    download = spanish.downloads.get()
    assert download.document == english_doc and download.locale == Locale.objects.get(language_code="es")
    download.document = spanish_doc
    download.save()
    spanish.save_revision().publish()
    english_html = soup(client.get("/en/articles/guide/"))
    spanish_html = soup(client.get("/es/articles/guide/"))
    english_link = english_html.select_one(".article-downloads a")
    spanish_link = spanish_html.select_one(".article-downloads a")
    assert english_link["href"] == english_doc.url and spanish_link["href"] == spanish_doc.url
    assert "PDF" in spanish_html.select_one(".article-downloads").get_text()
    response = client.get(spanish_link["href"])
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="guia-es.pdf"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_new_article_form_has_todays_date_and_clear_panel_labels(client, editor, index):
    response = client.get(reverse("wagtailadmin_pages:add", args=("articles", "articlepage", index.pk)))
    assert soup(response).select_one("[name=date]")["value"] == timezone.localdate().isoformat()
    text = " ".join(response.content.decode().split()).lower()
    assert "add author" in text and "add download" in text  # one item at a time
    assert "add authors" not in text and "add downloads" not in text


@pytest.mark.django_db
def test_a_slug_in_use_is_reported_at_the_top_of_the_form_naming_its_tab(client, editor, index):
    ArticlePageFactory(parent=index, title="Smart parking meters under test", slug="smart-parking-meters")
    add_url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", index.pk))
    response = client.post(add_url, article_form())
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("Promote tab" in error and "slug" in error.lower() for error in errors), errors
    assert "Promote tab" in response.content.decode()
