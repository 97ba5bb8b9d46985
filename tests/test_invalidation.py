"""Invalidation by construction (hub.invalidation): every visible change shows on the next anonymous
request, with the page cache on; the flush runs after commit, once per transaction, and never raises."""

import io
from datetime import timedelta

import pytest

from django.core.management import call_command
from django.utils import timezone
from django.utils.html import strip_tags

from wagtail.models import Site

from hub import invalidation, page_cache
from hub.models import FooterText, SiteSettings, Topic, TopicLabel
from tests.factories import ContributorsPageFactory, PersonFactory, StandardPageFactory
from tests.helpers import run_task_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300


def fetch(client, url):
    """GET ``url`` until it comes from the cache, return the text of the cached copy.

    (The very first request of a site creates its SiteSettings row, a visible change.)
    """
    for _attempt in range(3):
        response = client.get(url)
        if response.get("X-Cache") == "hit":
            break
    assert response.status_code == 200 and response["X-Cache"] == "hit", url
    return response.content.decode()


def fresh(client, url):
    response = client.get(url)
    assert response.get("X-Cache") != "hit", f"{url} was served from the cache after a change"
    return response


def test_snippet_edit_shows_on_the_next_request(client, home, cached):
    ContributorsPageFactory(parent=home)
    person = PersonFactory(name="Ada Original")
    assert "Ada Original" in fetch(client, "/en/contributors/")
    person.name = "Ada Renamed"
    person.save()
    assert "Ada Renamed" in fresh(client, "/en/contributors/").content.decode()


def test_footer_snippet_and_topic_label_edits_show_on_the_next_request(client, home, locales, cached):
    footer = FooterText.objects.create(locale=locales["en"], text="Old footer")
    assert "Old footer" in fetch(client, "/en/")
    footer.text = "New footer"
    footer.save()
    assert "New footer" in fresh(client, "/en/").content.decode()
    fetch(client, "/en/")
    topic = Topic.objects.create(name="Water", slug="water")
    fresh(client, "/en/")
    fetch(client, "/en/")
    TopicLabel.objects.filter(topic=topic).update(name="Agua")  # a queryset update sends no signal...
    invalidation.invalidate("labels edited in bulk")  # ...so code that does one says so
    fresh(client, "/en/")


def test_setting_edit_shows_on_the_next_request(client, home, cached):
    privacy = StandardPageFactory(parent=home, title="Privacy notice", slug="privacy")
    assert "Privacy notice" not in fetch(client, "/en/")
    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.privacy_policy = privacy
    settings_row.save()
    assert "Privacy notice" in fresh(client, "/en/").content.decode()


def test_publish_unpublish_move_and_delete_show_on_the_next_request(client, home, cached):
    parent = StandardPageFactory(parent=home, title="Parent", slug="parent")
    page = StandardPageFactory(parent=home, title="About", slug="about")
    assert "About" in fetch(client, "/en/about/")
    page.title = "About us"
    page.save_revision().publish()
    assert "About us" in fresh(client, "/en/about/").content.decode()
    fetch(client, "/en/about/")
    page.move(parent, pos="last-child")
    assert fresh(client, "/en/about/").status_code in {301, 404}  # Wagtail may leave a redirect
    assert fresh(client, "/en/parent/about/").status_code == 200
    fetch(client, "/en/parent/about/")
    page.refresh_from_db()
    page.unpublish()
    assert fresh(client, "/en/parent/about/").status_code == 404
    page.save_revision().publish()
    fetch(client, "/en/parent/about/")
    page.delete()
    assert fresh(client, "/en/parent/about/").status_code == 404


def test_a_draft_save_leaves_the_cached_page_alone(client, home, cached):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    fetch(client, "/en/about/")
    page.title = "Draft title"
    page.save_revision()
    response = client.get("/en/about/")
    assert response["X-Cache"] == "hit" and "Draft title" not in response.content.decode()


def test_scheduled_publish_by_the_periodic_job_shows_on_the_next_request(client, home, cached):
    page = StandardPageFactory(parent=home, title="Soon", slug="soon", live=False)
    assert client.get("/en/soon/").status_code == 404
    page.title = "Now live"
    page.go_live_at = timezone.now() + timedelta(minutes=5)
    page.save_revision().publish()  # scheduled, not live yet
    fetch(client, "/en/")
    assert client.get("/en/soon/").status_code == 404
    # Time passes: the scheduled moment is now in the past.
    revision = page.latest_revision
    past = timezone.now() - timedelta(seconds=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("run_periodic_jobs", "--run", "publish_scheduled", stdout=io.StringIO())
    assert "Now live" in fresh(client, "/en/soon/").content.decode()
    fresh(client, "/en/")


def test_flush_runs_after_commit_once_per_transaction_and_calls_purgers(home, monkeypatch, django_capture_on_commit_callbacks):
    flushes = []
    monkeypatch.setattr(invalidation, "_purgers", [flushes.append])
    with django_capture_on_commit_callbacks(execute=True):
        page = StandardPageFactory(parent=home, title="About", slug="about")
    flushes.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page.title = "About us"
        page.save_revision().publish()  # the page and its aliases in es, fr, ar: several signals
        FooterText.objects.create(locale=page.locale, text="Footer")
    assert len(callbacks) > 1  # several changes...
    (batch,) = flushes  # ...one flush
    assert page.pk in batch.page_ids
    assert any("published" in reason for reason in batch.reasons)
    assert any("FooterText" in reason for reason in batch.reasons)


def test_a_failing_cache_or_purger_never_breaks_a_publish(client, home, monkeypatch, caplog, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    with django_capture_on_commit_callbacks(execute=True):
        page = StandardPageFactory(parent=home, title="About", slug="about")
    monkeypatch.setattr(page_cache, "new_generation", broken)
    monkeypatch.setattr(invalidation, "_purgers", [broken])
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "About us"
        page.save_revision().publish()
    page.refresh_from_db()
    assert page.title == "About us" and page.live
    assert "Cache invalidation step broken failed" in caplog.text
    assert "Cache purger" in caplog.text


def test_search_is_page_cached_and_shows_new_pages_once_the_worker_indexed_them(client, home, cached, settings):
    """The index is visible content: the worker's index write invalidates cached results like a publish."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_task_worker()
    url = "/en/search/?q=zeppelin"
    assert "Zeppelin" not in fetch(client, url)
    page = StandardPageFactory(parent=home, title="Zeppelin safety", slug="zeppelin")
    page.save_revision().publish()
    # The publish invalidated, but the index does not hold the page until the worker ran.
    assert "Zeppelin safety" not in strip_tags(fresh(client, url).content.decode())
    fetch(client, url)
    run_task_worker()
    # The title is shown with the query highlighted: compare the text a visitor reads.
    assert "Zeppelin safety" in strip_tags(fresh(client, url).content.decode())
    assert "Zeppelin safety" in strip_tags(fetch(client, url))
    # A draft saved on the live page reindexes its unchanged live version: the results stay cached.
    page.title = "Zeppelin draft"
    page.save_revision()
    run_task_worker()
    response = client.get(url)
    assert response["X-Cache"] == "hit" and "Zeppelin draft" not in response.content.decode()
