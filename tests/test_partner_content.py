"""Partners propose articles and events: drafts they own, board review before publication."""

import pytest

from django.urls import reverse

from wagtail.models import Page

from articles.models import ArticlePage
from events.models import EventPage
from partners.permissions import setup_board, sync_partner_permissions
from tests.admin_forms import article_form, event_form
from tests.factories import ArticleIndexPageFactory, EventIndexPageFactory
from tests.helpers import make_user, translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexes(home, two_partners):
    articles = ArticleIndexPageFactory(parent=home)
    events = EventIndexPageFactory(parent=home)
    for page in (articles, events):
        translate_page(page)
    sync_partner_permissions()
    return {"articles": articles, "events": events}


def _submit(client, index, app, model, form):
    url = reverse("wagtailadmin_pages:add", args=(app, model, index.pk))
    return client.post(url, form)


@pytest.mark.parametrize(
    ("kind", "app", "model", "form"),
    [
        ("articles", "articles", "articlepage", lambda: article_form(**{"action-submit": "1"})),
        ("events", "events", "eventpage", lambda: event_form(**{"action-submit": "1", "action-publish": ""})),
    ],
)
def test_partner_proposal_goes_through_board_review(client, two_partners, indexes, kind, app, model, form):
    partner = make_user("alpha-editor", two_partners["group_a"])
    client.force_login(partner)
    index = indexes[kind]
    add_form = client.get(reverse("wagtailadmin_pages:add", args=(app, model, index.pk))).content.decode()
    assert 'name="action-submit"' in add_form and 'name="action-publish"' not in add_form

    response = _submit(client, index, app, model, form())
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Page.objects.get(locale=index.locale, depth=index.depth + 1, path__startswith=index.path).specific
    assert page.owner == partner and not page.live
    assert page.current_workflow_task_state is not None  # in board review

    # A forced publish by the partner changes nothing.
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**form(), "action-publish": "publish"})
    page.refresh_from_db()
    assert not page.live

    # Another partner can neither open nor change it.
    client.force_login(make_user("beta-editor", two_partners["group_b"]))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code in {302, 403}

    # The board approves: it is published.
    board = make_user("board-member", setup_board()[0])
    client.force_login(board)
    state = page.current_workflow_task_state
    client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/", {"comment": "Thank you"})
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_partner_edits_only_own_proposals(client, two_partners, indexes):
    mine = make_user("alpha-editor", two_partners["group_a"])
    client.force_login(mine)
    _submit(client, indexes["articles"], "articles", "articlepage", article_form(**{"action-submit": "1"}))
    editor_article = ArticlePage(title="Board news", slug="board-news", kind="news", date="2026-01-01", summary="x")
    indexes["articles"].add_child(instance=editor_article)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[editor_article.pk]))
    assert response.status_code in {302, 403}
    assert EventPage.objects.count() == 0
    assert Page.objects.filter(owner=mine, alias_of__isnull=True).count() == 1
