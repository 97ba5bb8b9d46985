"""Routing kept per generation (hub.routing): a page is found and loaded once per generation, each
request gets its own instance, and every visible change shows on the next request with the whole-page
cache off (the test settings' default), as it does with it on (tests/test_invalidation.py)."""

import pytest

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail import hooks
from wagtail.models import PageViewRestriction

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_kept_page_costs_no_query_and_each_request_gets_its_own_instance(client, home):
    StandardPageFactory(parent=home, title="About", slug="about")
    served = []

    def remember_page(page, request, serve_args, serve_kwargs):
        served.append(page)
        # What a request sets on its page stays with that request.
        assert not hasattr(page, "request_scratch")
        page.request_scratch = request

    for _visit in range(2):  # the first one makes the site's settings (a change); the second keeps the page
        text(client, "/en/about/")
    with hooks.register_temporarily("before_serve_page", remember_page):
        with CaptureQueriesContext(connection) as queries:
            first = text(client, "/en/about/")
        # (read before the next request: it clears the connection's log the capture reads from)
        page_queries = [query["sql"] for query in queries.captured_queries if "wagtailcore_page" in query["sql"]]
        second = text(client, "/en/about/")
    assert first == second and "About" in first
    assert page_queries == []
    assert len(served) == 2 and served[0] is not served[1]


def visits(client, url):
    """The status and text of two successive visits (the first after a change routes and keeps the
    page, the second is served from what was kept)."""
    return [(response.status_code, response.content.decode()) for response in (client.get(url), client.get(url))]


def test_every_visible_change_shows_on_the_next_requests_with_the_page_cache_off(client, home):
    parent = StandardPageFactory(parent=home, title="Parent", slug="parent")
    page = StandardPageFactory(parent=home, title="About", slug="about")
    assert all(status == 200 and "About" in body for status, body in visits(client, "/en/about/"))

    page.title = "Draft title"
    page.save_revision()
    assert all("Draft title" not in body for _status, body in visits(client, "/en/about/"))

    page.title = "About us"
    page.save_revision().publish()
    assert all("About us" in body for _status, body in visits(client, "/en/about/"))

    page.move(parent, pos="last-child")
    assert all(status in {301, 404} for status, _body in visits(client, "/en/about/"))  # Wagtail may redirect
    assert all(status == 200 and "About us" in body for status, body in visits(client, "/en/parent/about/"))

    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.create(name="Members")])
    assert all(status in {302, 401, 403} for status, _body in visits(client, "/en/parent/about/"))
    restriction.delete()
    assert all(status == 200 for status, _body in visits(client, "/en/parent/about/"))

    page.refresh_from_db()
    page.unpublish()
    assert all(status == 404 for status, _body in visits(client, "/en/parent/about/"))
    page.save_revision().publish()
    assert all("About us" in body for _status, body in visits(client, "/en/parent/about/"))
    page.delete()
    assert all(status == 404 for status, _body in visits(client, "/en/parent/about/"))
