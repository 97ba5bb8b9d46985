"""The anonymous page cache: hits cost no query, edits show at once, nothing personal is stored."""

import pytest

from django.contrib.auth.models import User

from wagtail.models import Site

from hub.models import SiteSettings
from tests.factories import StandardPageFactory


@pytest.fixture
def cached(settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300


@pytest.mark.django_db
def test_second_anonymous_visit_is_served_from_cache_without_queries(client, home, cached, django_assert_num_queries):
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # created once, on first use
    first = client.get("/en/")
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/en/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    # Browsers and shared caches revalidate: nothing downstream keeps a page after it changes.
    assert second["Cache-Control"] == "max-age=0, must-revalidate, public"
    # Each language is its own entry.
    assert client.get("/es/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_publishing_makes_cached_pages_stale(client, home, cached):
    page = StandardPageFactory(parent=home, title="About", slug="about")
    assert "About" in client.get("/en/about/").content.decode()
    page.title = "About us"
    page.save_revision().publish()
    response = client.get("/en/about/")
    assert response["X-Cache"] == "miss"
    assert "About us" in response.content.decode()
    page.unpublish()
    assert client.get("/en/about/").status_code == 404


@pytest.mark.django_db
def test_signed_in_users_and_errors_are_never_cached(client, home, cached):
    assert client.get("/en/nope/").status_code == 404
    assert "X-Cache" not in client.get("/en/nope/")
    client.force_login(User.objects.create_user("u", "u@example.org", "pw-user-12345"))
    assert "X-Cache" not in client.get("/en/")
