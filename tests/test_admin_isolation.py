"""Partners see only their own organisation's work in the admin (security round two, item 2).

Attack blocked: partner A reading partner B's unpublished work — titles, owners and status of
B's proposals and drafts, B's files, B's users' names or addresses — through any admin listing.

The walk below takes the admin URL names from the URL resolver (explorer, search, choosers, the
reports, the admin API, bulk actions, usage and history views), fills their arguments with B's
objects and A's sections, and looks for B's secrets in every answer as partner A: a report or
chooser added later is walked too.
"""

import re

import pytest

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.log_actions import log
from wagtail.models import Page, Workflow

from partners.permissions import BOARD_WORKFLOW, partner_collection, setup_board, sync_partner_permissions
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from tests.helpers import make_user, translate_page

pytestmark = pytest.mark.django_db

# What partner B has that partner A must never see: draft titles, file titles, B's user.
SECRETS = ["Beta secret", "Secretname", "beta-editor", "beta.editor"]

# URL names (or their namespaces) walked as partner A.
WALKED = re.compile(
    r"^(wagtailadmin_home$|wagtailadmin_explore|wagtailadmin_pages:(search|type_use|usage|history)"
    r"|wagtailadmin_choose|.*chooser.*:|wagtailadmin_reports:|wagtailadmin_api:|wagtail_bulk_action$"
    r"|wagtail_localize:translations_report|hub_translation_status$|wagtailimages:(index|image_usage)"
    r"|wagtaildocs:(index|document_usage)|wagtailsnippets.*:(list|usage|history)|wagtailadmin_tag"
    r"|article_listing:|event_listing:)"
)


def admin_url_names():
    """``{name: pattern}`` of every named admin URL the walk covers, from the URL resolver."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, pattern

    return {
        name: pattern
        for name, pattern in walk(get_resolver().url_patterns)
        if WALKED.match(name) and reverse_prefix(name).startswith("/admin/")
    }


def reverse_prefix(name):
    try:
        return reverse(name)
    except Exception:
        return "/admin/" if not name.startswith("wagtailapi") else "/api/"


@pytest.fixture
def scene(home, two_partners):
    """Partner B's unpublished work (a proposal in review, a draft of its live profile, files, a lock)
    and partner A's own proposal, in an article section open to proposals in every language."""
    articles = ArticleIndexPageFactory(parent=home)
    translate_page(articles)
    sync_partner_permissions()
    board, workflow = setup_board()
    alpha = make_user("alpha-editor", two_partners["group_a"], first_name="Ann", last_name="Alpha")
    beta = make_user("beta-editor", two_partners["group_b"], first_name="Bertha", last_name="Secretname")
    beta.email = "beta.editor@example.org"
    beta.save()

    proposal = ArticlePageFactory(
        parent=articles, title="Beta secret proposal", slug="beta-plan", live=False, owner=beta
    )
    revision = proposal.save_revision(user=beta, log_action=True)
    Workflow.objects.get(name=BOARD_WORKFLOW).start(proposal, beta)
    Page.objects.filter(pk=proposal.pk).update(locked=True, locked_by=beta, locked_at=timezone.now())

    profile = two_partners["b"]
    profile.title = "Beta secret title"
    profile.save_revision(user=beta, log_action=True)

    collection = partner_collection(profile)
    image = get_image_model().objects.create(
        title="Beta secret image", file=get_test_image_file("b.png"), collection=collection, uploaded_by_user=beta
    )
    document = get_document_model().objects.create(
        title="Beta secret document", file=get_test_image_file("b.txt"), collection=collection, uploaded_by_user=beta
    )
    log(image, "wagtail.create", user=beta)
    log(document, "wagtail.create", user=beta)
    own = ArticlePageFactory(parent=articles, title="Alpha own proposal", slug="alpha-plan", live=False, owner=alpha)
    own.save_revision(user=alpha, log_action=True)
    return {
        "alpha": alpha,
        "beta": beta,
        "articles": articles,
        "proposal": proposal,
        "revision": revision,
        "profile": profile,
        "own": own,
        "image": image,
        "document": document,
        "partners_index": profile.get_parent(),
        "workflow": workflow,
    }


def _argument_values(scene, name):
    """Candidate values for each URL argument name: B's objects, and the sections A works in."""
    pages = [scene["proposal"].pk, scene["profile"].pk]
    parents = [scene["articles"].pk, scene["partners_index"].pk, *pages]
    return {
        "page_id": pages,
        "page_pk": pages,
        "page_to_move_id": pages,
        "parent_page_id": parents,
        "pk": pages if "api:pages" in name else [scene["image"].pk, scene["document"].pk],
        "image_id": [scene["image"].pk],
        "document_id": [scene["document"].pk],
        "doc_id": [scene["document"].pk],
        "content_type_app_name": ["articles"],
        "content_type_model_name": ["articlepage"],
        "app_name": ["hub"],
        "model_name": ["topic"],
    }


def urls_to_walk(scene):
    """Every (name, url) the walk requests: each pattern with each combination of its arguments."""
    urls = []
    for name, pattern in sorted(admin_url_names().items()):
        if name == "wagtail_bulk_action":
            for app_label, models in bulk_action_registry.actions.items() or []:
                for model_name, actions in models.items():
                    for action in actions:
                        ids = "&".join(
                            f"id={pk}"
                            for pk in [
                                scene["proposal"].pk,
                                scene["profile"].pk,
                                scene["image"].pk,
                                scene["document"].pk,
                            ]
                        )
                        urls.append((name, reverse(name, args=[app_label, model_name, action]) + f"?{ids}"))
            continue
        arguments = list(pattern.pattern.converters) or re.findall(r"\(\?P<(\w+)>", str(pattern.pattern))
        values = _argument_values(scene, name)
        if any(argument not in values for argument in arguments):
            continue
        combinations = [{}]
        for argument in arguments:
            combinations = [{**combo, argument: value} for combo in combinations for value in values[argument]]
        for combo in combinations:
            try:
                url = reverse(name, kwargs=combo)
            except Exception:  # noqa: S112 - an argument this pattern cannot take
                continue
            urls.append((name, url))
            if not arguments or "parent_page_id" in combo:
                # Searching and filtering: by the secret word, and with every filter's choices shown.
                urls.append((name, f"{url}?q=Beta&search=Beta&search_all=1"))
    return urls


def leaks(client, urls):
    """``(name, url, status, secrets)`` of every answer that shows one of B's secrets (none may be a 5xx)."""
    found = []
    for name, url in urls:
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        body = response.content.decode(errors="replace") if not response.streaming else ""
        secrets = [secret for secret in SECRETS if secret.lower() in body.lower()]
        if secrets:
            found.append((name, url, response.status_code, secrets))
    return found


def test_partner_sees_nothing_of_another_partners_unpublished_work_in_the_main_views(client, scene):
    """The fast tier's share of the walk: one URL of each kind the issue names."""
    client.force_login(scene["alpha"])
    ids = f"id={scene['proposal'].pk}&id={scene['profile'].pk}"
    urls = [
        ("explorer", reverse("wagtailadmin_explore", args=[scene["articles"].pk])),
        ("explorer search", reverse("wagtailadmin_explore_root") + "?q=Beta&search_all=1"),
        ("admin search", reverse("wagtailadmin_pages:search_results") + "?q=Beta"),
        ("chooser", reverse("wagtailadmin_choose_page_child", args=[scene["articles"].pk])),
        ("chooser of B's page", reverse("wagtailadmin_choose_page_child", args=[scene["proposal"].pk])),
        ("chooser search", reverse("wagtailadmin_choose_page_search") + "?q=Beta"),
        ("admin API", reverse("wagtailadmin_api:pages:listing") + "?search=Beta"),
        ("admin API images", reverse("wagtailadmin_api:images:listing")),
        ("site history", reverse("wagtailadmin_reports:site_history")),
        ("page types", reverse("wagtailadmin_reports:page_types_usage")),
        ("workflows", reverse("wagtailadmin_reports:workflow")),
        ("bulk delete", reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?{ids}"),
        (
            "bulk image delete",
            reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"]) + f"?id={scene['image'].pk}",
        ),
        ("dashboard", reverse("wagtailadmin_home")),
        ("articles listing", reverse("article_listing:index") + "?q=Beta"),
        ("articles listing unfiltered", reverse("article_listing:index")),
        ("events listing", reverse("event_listing:index")),
    ]
    assert not leaks(client, urls)


@pytest.mark.slow
def test_partner_sees_nothing_of_another_partners_unpublished_work(client, scene):
    """Every admin URL of the kinds the issue names, found from the URL resolver (about 230 requests)."""
    bulk_action_registry._scan_for_bulk_actions()
    client.force_login(scene["alpha"])
    urls = urls_to_walk(scene)
    names = {name for name, _url in urls}
    # The walk covers what the issue names, found from the resolver rather than listed by hand.
    for expected in [
        "wagtailadmin_explore",
        "wagtailadmin_pages:search_results",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_choose_page_search",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_api:pages:listing",
        "wagtail_bulk_action",
        "wagtailimages_chooser:choose",
    ]:
        assert expected in names, expected
    found = leaks(client, urls)
    assert not found, "\n".join(map(str, found))


def test_partner_still_sees_and_works_on_their_own(client, scene):
    client.force_login(scene["alpha"])
    listing = client.get(reverse("wagtailadmin_explore", args=[scene["articles"].pk])).content.decode()
    assert "Alpha own proposal" in listing
    search = client.get(reverse("wagtailadmin_pages:search_results") + "?q=Alpha").content.decode()
    assert "Alpha own proposal" in search
    assert client.get(reverse("wagtailadmin_pages:edit", args=[scene["own"].pk])).status_code == 200
    api = client.get(reverse("wagtailadmin_api:pages:listing") + f"?child_of={scene['articles'].pk}").json()
    assert [item["title"] for item in api["items"]] == ["Alpha own proposal"]


def test_board_sees_everything(client, scene):
    client.force_login(make_user("board-member", setup_board()[0]))
    listing = client.get(reverse("wagtailadmin_explore", args=[scene["articles"].pk])).content.decode()
    assert "Beta secret proposal" in listing and "Alpha own proposal" in listing


def test_admin_names_users_by_name_never_by_address(client, scene):
    """Invited accounts have their address as user name; the admin shows a name instead."""
    reviewer = get_user_model().objects.create_user("carol.board@example.org", "carol.board@example.org", "x" * 20)
    reviewer.groups.add(setup_board()[0])
    assert reviewer.get_full_name() == "Carol Board"
    log(scene["own"], "wagtail.edit", user=reviewer)
    client.force_login(scene["alpha"])
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Carol Board" in history and "carol.board@example.org" not in history
