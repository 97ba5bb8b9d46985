"""What an editor sees in the admin (issue #13, "Editor experience"): a dashboard with what waits for
the Board's review, the editor's own drafts and the translation status; article and event listings
with kind, date, language and status. Panels cost a fixed number of queries; partners see only
their own work (tests/test_admin_isolation.py walks every admin URL for that)."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Workflow

from articles.models import ArticleKind
from hub.dashboard import DraftsPanel, TranslationStatusPanel
from partners.dashboard import BoardReviewPanel
from partners.permissions import BOARD_WORKFLOW, setup_board, sync_partner_permissions
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from tests.helpers import make_user, translate_page
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(home, two_partners):
    """An article section open to partners' proposals; a Board member and a partner editor from each side."""
    articles = ArticleIndexPageFactory(parent=home)
    translate_page(articles)
    sync_partner_permissions()
    board, _workflow = setup_board()
    return {
        "articles": articles,
        "board": make_user("bea-board", board, first_name="Bea", last_name="Board"),
        "alpha": make_user("alpha-editor", two_partners["group_a"], first_name="Ann", last_name="Alpha"),
        "beta": make_user("beta-editor", two_partners["group_b"], first_name="Bo", last_name="Beta"),
    }


def propose(newsroom, user, title, slug, submit=True):
    """A partner's unpublished article, submitted to the Board review unless ``submit`` is false."""
    page = ArticlePageFactory(parent=newsroom["articles"], title=title, slug=slug, live=False, owner=user)
    page.save_revision(user=user, log_action=True)
    if submit:
        Workflow.objects.get(name=BOARD_WORKFLOW).start(page, user)
    return page


def panel(html, panel_id):
    return html.select_one(f"#{panel_id}-section")


def panel_titles(html, panel_id):
    section = panel(html, panel_id)
    return [] if section is None else [cell.get_text(strip=True) for cell in section.select("td.title")]


def test_board_member_sees_what_waits_for_review_with_kind_language_and_who_asked(client, newsroom):
    propose(newsroom, newsroom["alpha"], "Alpha proposal", "alpha-proposal")
    client.force_login(newsroom["board"])
    html = soup(client.get(reverse("wagtailadmin_home")))
    review = panel(html, "board-review")
    assert review is not None and "Awaiting Board review" in review.get_text()
    assert panel_titles(html, "board-review") == ["Alpha proposal"]
    row = review.select_one("tbody tr").get_text(" ", strip=True)
    assert "Article" in row and "English" in row and "Ann Alpha" in row
    assert review.select_one("td.title a")["href"].startswith("/admin/pages/")
    assert "1 item waits for review" in review.get_text(" ", strip=True)
    # Wagtail's own "Awaiting your review" panel (the same items) is not repeated.
    assert panel(html, "awaiting-review") is None


def test_board_panel_says_when_nothing_waits(client, newsroom):
    client.force_login(newsroom["board"])
    review = panel(soup(client.get(reverse("wagtailadmin_home"))), "board-review")
    assert "Nothing is waiting for the Board" in review.get_text()


def test_editor_sees_their_own_drafts_with_status(client, newsroom):
    board = newsroom["board"]
    draft = ArticlePageFactory(parent=newsroom["articles"], title="Board draft", slug="board-draft", live=False)
    draft.owner = board
    draft.save_revision(user=board)
    live = ArticlePageFactory(parent=newsroom["articles"], title="Live with changes", slug="live-changes")
    live.title = "Live with changes"
    live.save_revision(user=board)
    ArticlePageFactory(parent=newsroom["articles"], title="Someone else's", slug="other", live=False)
    client.force_login(board)
    html = soup(client.get(reverse("wagtailadmin_home")))
    assert panel_titles(html, "hub-drafts") == ["Live with changes", "Board draft"]
    rows = [row.get_text(" ", strip=True) for row in panel(html, "hub-drafts").select("tbody tr")]
    assert "Live, with unpublished changes" in rows[0] and "Draft" in rows[1]
    assert "Article" in rows[1] and "English" in rows[1]


def test_translation_status_panel_counts_per_language_for_translators(client, newsroom):
    client.force_login(newsroom["board"])
    assert newsroom["board"].has_perm("wagtail_localize.submit_translation")
    status = panel(soup(client.get(reverse("wagtailadmin_home"))), "hub-translation-status")
    languages = [row.th.get_text(strip=True) for row in status.select("tbody tr")]
    assert len(languages) == 3  # es, fr, ar
    assert status.select_one("a[href='/admin/translation-status/']")
    for row in status.select("tbody tr"):
        assert all(cell.get_text(strip=True).isdigit() for cell in row.select("td"))


def test_partner_dashboard_shows_only_their_own_work(client, newsroom):
    propose(newsroom, newsroom["beta"], "Beta secret proposal", "beta-secret")
    propose(newsroom, newsroom["beta"], "Beta secret draft", "beta-draft", submit=False)
    propose(newsroom, newsroom["alpha"], "Alpha draft", "alpha-draft", submit=False)
    client.force_login(newsroom["alpha"])
    response = client.get(reverse("wagtailadmin_home"))
    html = soup(response)
    assert panel(html, "board-review") is None
    assert panel(html, "hub-translation-status") is None  # partners do not translate
    assert panel_titles(html, "hub-drafts") == ["Alpha draft"]
    assert "Beta secret" not in response.content.decode()


def test_dashboard_panels_cost_a_fixed_number_of_queries(client, newsroom):
    board = newsroom["board"]
    client.force_login(board)
    url = reverse("wagtailadmin_home")

    def add(start, stop):
        for n in range(start, stop):
            propose(newsroom, newsroom["alpha"], f"Proposal {n}", f"proposal-{n}")
            draft = ArticlePageFactory(parent=newsroom["articles"], title=f"Draft {n}", slug=f"draft-{n}", live=False)
            draft.owner = board
            draft.save_revision(user=board)

    def count():
        client.get(url)  # warm caches (content types, locales, site)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(0, 2)
    small = count()
    add(2, 8)
    large = count()
    assert large == small
    html = soup(client.get(url))
    assert len(panel_titles(html, "board-review")) == 8 and len(panel_titles(html, "hub-drafts")) == 8


# --- Listings ----------------------------------------------------------------------------------


def test_article_listing_has_kind_date_language_and_status(client, newsroom):
    ArticlePageFactory(
        parent=newsroom["articles"],
        title="Street lighting study",
        slug="lighting",
        kind=ArticleKind.RESEARCH,
        date=datetime.date(2026, 3, 4),
    )
    client.force_login(newsroom["board"])
    html = soup(client.get(reverse("article_listing:index")))
    headers = [th.get_text(" ", strip=True) for th in html.select("thead th")]
    for expected in ["Title", "Kind", "Publication date", "Language", "Status"]:
        assert any(expected in header for header in headers), (expected, headers)
    row = next(tr for tr in html.select("tbody tr") if "Street lighting study" in tr.get_text())
    text = row.get_text(" ", strip=True)
    assert "Research" in text and "March 4, 2026" in text and "English" in text and "live" in text.lower()
    # In the admin menu.
    assert reverse("article_listing:index") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_event_listing_has_format_start_language_and_status(client, newsroom, make_event):
    make_event(title="Lighting workshop", start=timezone.make_aware(datetime.datetime(2027, 1, 15, 9, 0)))
    client.force_login(newsroom["board"])
    html = soup(client.get(reverse("event_listing:index")))
    headers = [th.get_text(" ", strip=True) for th in html.select("thead th")]
    for expected in ["Title", "Format", "Start", "Language", "Status"]:
        assert any(expected in header for header in headers), (expected, headers)
    row = next(tr for tr in html.select("tbody tr") if "Lighting workshop" in tr.get_text())
    text = row.get_text(" ", strip=True)
    assert "2027" in text and "English" in text and "Scheduled" in text


def test_partner_sees_only_their_own_articles_in_the_listing(client, newsroom):
    propose(newsroom, newsroom["beta"], "Beta secret proposal", "beta-secret")
    propose(newsroom, newsroom["alpha"], "Alpha proposal", "alpha-proposal", submit=False)
    client.force_login(newsroom["alpha"])
    response = client.get(reverse("article_listing:index"))
    assert response.status_code == 200
    assert "Alpha proposal" in response.content.decode() and "Beta secret" not in response.content.decode()


# Queries each panel adds to the dashboard, whatever the number of pages, drafts or items in review
# (the translation status: two per translatable snippet model, besides the pages').
PANEL_QUERIES = {"board-review": 5, "hub-drafts": 1, "hub-translation-status": 9}


def test_each_panel_adds_a_fixed_number_of_queries(rf, newsroom):
    board = newsroom["board"]
    panels = {"board-review": BoardReviewPanel, "hub-drafts": DraftsPanel, "hub-translation-status": TranslationStatusPanel}

    def add(start, stop):
        for n in range(start, stop):
            propose(newsroom, newsroom["alpha"], f"Proposal {n}", f"proposal-{n}")
            draft = ArticlePageFactory(parent=newsroom["articles"], title=f"Draft {n}", slug=f"draft-{n}", live=False)
            draft.owner = board
            draft.save_revision(user=board)

    def counts():
        request = rf.get("/admin/")
        request.user = board
        result = {}
        for name, panel in panels.items():
            panel().render_html({"request": request, "csrf_token": "x"})  # warm caches
            with CaptureQueriesContext(connection) as queries:
                html = panel().render_html({"request": request, "csrf_token": "x"})
            assert f'id="{name}-section"' in html
            result[name] = len(queries)
        return result

    add(0, 1)
    small = counts()
    add(1, 12)
    assert counts() == small
    assert small == PANEL_QUERIES
