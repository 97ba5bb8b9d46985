"""Partner self-service through the real Wagtail admin: own profile only, everything via board review."""

import io
import re

import pytest

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page, WorkflowPage

from partners.permissions import BOARD_GROUP, partner_collection, setup_board, setup_partner_access
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def edit_data(page, **changes):
    """The fields the partner profile edit form posts, with ``changes`` applied."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "partner_type": page.partner_type,
        "country": page.country.code or "",
        "website": page.website,
        "summary": page.summary,
        "body-count": "0",
        "topics": "",
        "seo_title": "",
        "search_description": "",
        "social_text": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def refused(response, url):
    """Wagtail refuses with 403, or by redirecting away with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url != url)


@pytest.fixture
def partner_a(client, two_partners):
    user = make_user("alpha-user", two_partners["group_a"])
    client.force_login(user)
    return user


def test_partner_can_edit_own_profile_and_submit_but_not_publish(client, two_partners, partner_a):
    a = two_partners["a"]
    response = client.get(f"/admin/pages/{a.pk}/edit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="action-submit"' in body
    assert 'name="action-publish"' not in body
    # Trying to publish anyway only saves a draft / is refused: the live page is untouched.
    client.post(f"/admin/pages/{a.pk}/edit/", edit_data(a, summary="Sneaky publish", **{"action-publish": "1"}))
    a.refresh_from_db()
    assert a.summary != "Sneaky publish"
    response = client.post(f"/admin/pages/{a.pk}/edit/", edit_data(a, summary="New summary", **{"action-submit": "1"}))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.has_unpublished_changes and a.summary != "New summary"
    assert a.current_workflow_state is not None
    assert "New summary" not in client.get("/en/partners/alpha/").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/{b}/edit/",
        "/admin/pages/{b}/edit/preview/",
        "/admin/pages/{b}/revisions/",
        "/admin/pages/{b}/revisions/compare/earliest...latest/",
        "/admin/pages/{b}/revisions/{rev}/view/",
        "/admin/pages/{b}/copy/",
        "/admin/pages/{b}/move/",
        "/admin/pages/{b}/delete/",
        "/admin/localize/submit/page/{b}/",
        "/admin/pages/{a}/delete/",
        "/admin/pages/{a}/move/",
        "/admin/pages/{a}/copy/",
    ],
)
def test_partner_is_refused_everything_on_other_pages(client, two_partners, partner_a, path):
    b = two_partners["b"]
    b.summary = "B's secret draft"
    revision = b.save_revision()
    url = path.format(a=two_partners["a"].pk, b=b.pk, rev=revision.pk)
    response = client.get(url)
    assert refused(response, url), (url, response.status_code)
    assert "B&#x27;s secret draft" not in response.content.decode()
    response = client.post(url, edit_data(b, summary="Hacked", **{"action-submit": "1"}))
    assert refused(response, url) or response.status_code == 405
    b.refresh_from_db()
    assert b.summary != "Hacked" and b.get_latest_revision().content["summary"] != "Hacked"
    assert Page.objects.filter(pk=b.pk).exists() and Page.objects.filter(pk=two_partners["a"].pk).exists()


def test_partner_cannot_see_other_partners_images_or_documents(client, two_partners, partner_a):
    image_model, document_model = get_image_model(), get_document_model()
    b_collection = partner_collection(two_partners["b"])
    a_collection = partner_collection(two_partners["a"])
    b_image = image_model.objects.create(title="B image", file=get_test_image_file(), collection=b_collection)
    a_image = image_model.objects.create(title="A image", file=get_test_image_file(), collection=a_collection)
    b_document = document_model.objects.create(title="B document", collection=b_collection)
    b_document.file.save("b.txt", ContentFile(b"secret"))
    for url in [
        f"/admin/images/{b_image.pk}/",
        f"/admin/images/{b_image.pk}/delete/",
        f"/admin/documents/edit/{b_document.pk}/",
        f"/admin/documents/delete/{b_document.pk}/",
    ]:
        assert refused(client.get(url), url), url
    assert client.get(f"/admin/images/{a_image.pk}/").status_code == 200
    listing = client.get("/admin/images/").content.decode()
    assert "A image" in listing and "B image" not in listing
    assert "B document" not in client.get("/admin/documents/").content.decode()
    chooser = client.get("/admin/images/chooser/").content.decode()
    assert "B image" not in chooser


def test_board_approves_and_change_goes_live(client, two_partners, partner_a):
    a = two_partners["a"]
    client.post(f"/admin/pages/{a.pk}/edit/", edit_data(a, summary="Approved summary", **{"action-submit": "1"}))
    board = make_user("board-user", setup_board()[0])
    client.force_login(board)
    task_state = a.current_workflow_task_state
    response = client.post(f"/admin/pages/workflow/action/{a.pk}/approve/{task_state.pk}/", {"comment": "Looks good"})
    assert response.status_code in (200, 302)
    a.refresh_from_db()
    assert a.summary == "Approved summary" and a.live
    assert "Approved summary" in client.get("/en/partners/alpha/").content.decode()


def test_board_rejection_keeps_live_page_and_partner_sees_comment(client, two_partners, partner_a):
    a = two_partners["a"]
    live_summary = a.summary
    client.post(f"/admin/pages/{a.pk}/edit/", edit_data(a, summary="Rejected summary", **{"action-submit": "1"}))
    board = make_user("board-user", setup_board()[0])
    client.force_login(board)
    task_state = a.current_workflow_task_state
    client.post(f"/admin/pages/workflow/action/{a.pk}/reject/{task_state.pk}/", {"comment": "Please cite a source."})
    a.refresh_from_db()
    assert a.summary == live_summary
    assert "Rejected summary" not in client.get("/en/partners/alpha/").content.decode()
    client.force_login(partner_a)
    assert "Please cite a source." in client.get(f"/admin/pages/{a.pk}/edit/").content.decode()


def test_setup_is_idempotent_and_limited(two_partners):
    a = two_partners["a"]
    group = setup_partner_access(a)
    assert setup_partner_access(a) == group == two_partners["group_a"]
    assert group.name == "Partner: Alpha City"
    codenames = set(group.page_permissions.values_list("permission__codename", flat=True))
    assert codenames == {"change_page"}
    assert set(group.page_permissions.values_list("page_id", flat=True)) == {a.pk}
    assert group.permissions.filter(codename="access_admin").exists()
    collections = set(group.collection_permissions.values_list("collection_id", flat=True))
    assert collections == {partner_collection(a).pk} and Collection.get_first_root_node().pk not in collections
    index = a.get_parent()
    assert WorkflowPage.objects.get(page=index).workflow.name == "Board review"
    call_command("sync_partner_permissions", stdout=io.StringIO())
    assert group.page_permissions.count() == 1


def test_invite_partner_command_and_password_link(client, two_partners):
    call_command("invite_partner", "alpha", "new.partner@example.org", stdout=io.StringIO())
    user = get_user_model().objects.get(email="new.partner@example.org")
    assert not user.has_usable_password()
    assert user.groups.filter(pk=two_partners["group_a"].pk).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.partner@example.org"]
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new_password = "correct horse battery staple 42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert client.login(username=user.username, password=new_password)
    assert client.get(f"/admin/pages/{two_partners['a'].pk}/edit/").status_code == 200
    url = f"/admin/pages/{two_partners['b'].pk}/edit/"
    assert refused(client.get(url), url)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["nope", "x@example.org"], "No partner profile"), (["alpha", "not-an-address"], "Cannot invite")],
)
def test_invite_partner_command_errors(two_partners, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("invite_partner", *args)
    assert not mail.outbox


def test_board_group_exists_with_workflow(two_partners):
    board, workflow = setup_board()
    assert board.name == BOARD_GROUP
    assert workflow.tasks.first().specific.groups.filter(pk=board.pk).exists()
