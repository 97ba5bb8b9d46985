"""Working groups: the page tree, what a new group gets, joining, chairs' admin screens, meetings in
the group's time zone, the secret meeting calendar, sharing labels, and proposing a draft."""

import datetime

import pytest
from icalendar import Calendar

from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from wagtail.models import (
    BaseViewRestriction,
    CollectionViewRestriction,
    GroupPagePermission,
    Locale,
    PageLogEntry,
    PageViewRestriction,
    WorkflowState,
)
from wagtail.rich_text import RichText

from articles.models import ArticleKind, ArticlePage
from groups.choices import JoinRequestStatus
from groups.models import (
    DraftPage,
    JoinRequest,
    MeetingPage,
    MembersAreaPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)
from home.models import HomePage
from hub.history import IMPORTED_REVISION
from partners.permissions import BOARD_GROUP, setup_board, setup_partner_access
from tests.factories import (
    ArticleIndexPageFactory,
    DraftPageFactory,
    MeetingPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from tests.helpers import make_user, translate_page
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(home):
    return WorkingGroupIndexPageFactory(parent=home)


@pytest.fixture
def group_page(section):
    page = WorkingGroupPageFactory(parent=section, title="Grid security", slug="grid-security")
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def people(home, group_page):
    """A chair, a member, a partner member who is not in the group, someone in no organisation, the Board."""
    setup_board()
    partner = PartnerPageFactory(parent=PartnerIndexPageFactory(parent=home), title="Alpha City")
    partner_group = setup_partner_access(partner)
    group = group_page.working_group
    chair = make_user("chair", partner_group, first_name="Carla", last_name="Chair")
    group.chairs.add(chair)
    member = make_user("member", partner_group)
    member.groups.add(group.group)
    return {
        "chair": chair,
        "member": member,
        "partner": make_user("partner", partner_group, first_name="Pat", last_name="Partner"),
        "stranger": make_user("stranger"),
        "board": make_user("board", Group.objects.get(name=BOARD_GROUP)),
    }


def denied(response):
    """The admin refuses: 403, or Wagtail's redirect to the dashboard with a "no permission" message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- Tree and set-up ------------------------------------------------------------------------


def test_page_types_sit_where_they_belong(db):
    assert WorkingGroupIndexPage in HomePage.allowed_subpage_models()
    assert WorkingGroupIndexPage.allowed_subpage_models() == [WorkingGroupPage]
    assert WorkingGroupPage.allowed_subpage_models() == [MembersAreaPage]
    assert set(MembersAreaPage.allowed_subpage_models()) == {MeetingPage, DraftPage}
    assert MeetingPage.allowed_parent_page_models() == [MembersAreaPage]
    assert DraftPage.allowed_parent_page_models() == [MembersAreaPage]


def test_the_section_lists_the_groups_public_summaries(client, group_page):
    listing = soup(client.get("/en/working-groups/"))
    link = listing.find("main").find("a", string="Grid security")
    assert link["href"] == "/en/working-groups/grid-security/"
    assert "members" not in str(listing.find("main"))


def test_a_new_group_page_brings_its_group_collection_and_members_area(group_page):
    group = group_page.working_group
    assert group.group.name == "Working group: Grid security"
    assert group.collection.name == "Working group: Grid security"
    area = group_page.members_area()
    assert area.live and area.url == "/en/working-groups/grid-security/members/"
    (restriction,) = PageViewRestriction.objects.filter(page=area)
    assert restriction.restriction_type == BaseViewRestriction.GROUPS
    assert set(restriction.groups.values_list("name", flat=True)) == {group.group.name, BOARD_GROUP}
    assert CollectionViewRestriction.objects.filter(collection=group.collection).count() == 1
    # Members sign in to the admin and write in their own area, nowhere else.
    assert group.group.permissions.filter(codename="access_admin").exists()
    granted = set(GroupPagePermission.objects.filter(group=group.group).values_list("page_id", "permission__codename"))
    assert granted == {(area.pk, "add_page"), (area.pk, "change_page"), (area.pk, "publish_page")}


def test_translations_of_the_group_page_get_their_own_restricted_area(group_page):
    versions = translate_page(group_page)
    for code, version in versions.items():
        area = version.members_area()
        assert area is not None and area.locale.language_code == code
        assert PageViewRestriction.objects.filter(page=area, restriction_type=BaseViewRestriction.GROUPS).count() == 1


# --- Joining --------------------------------------------------------------------------------


def join_section(response):
    return soup(response).find("section", class_="working-group-join")


def test_signed_out_visitors_see_how_to_join_and_a_sign_in_link_on_a_shareable_page(client, group_page):
    response = client.get(group_page.url)
    section = join_section(response)
    link = section.find("a", string="Sign in")
    assert link["href"] == "/admin/login/?next=%2Fen%2Fworking-groups%2Fgrid-security%2F"
    assert section.find("form") is None and "csrftoken" not in response.cookies
    assert "private" not in response.get("Cache-Control", "")


def test_a_join_request_approved_by_a_chair_opens_the_area_at_the_next_request(
    group_page, people, django_capture_on_commit_callbacks
):
    partner = signed_in(people["partner"])
    area_url = group_page.members_area().url
    assert partner.get(area_url).status_code == 404

    page = partner.get(group_page.url)
    assert "private" in page["Cache-Control"]
    form = join_section(page).find("form")
    assert form["action"] == f"{group_page.url}join/"
    response = partner.post(form["action"], {"message": "We run the grid."}, follow=True)
    assert "Your request was sent" in response.content.decode()
    join_request = JoinRequest.objects.get(user=people["partner"])
    assert join_request.status == JoinRequestStatus.PENDING
    (notice,) = mail.outbox
    assert notice.to == ["chair@example.org"]
    assert "Pat Partner" in notice.body and "We run the grid." in notice.body
    assert "/admin/working-groups/members/" in notice.body
    assert "waiting for a chair" in join_section(partner.get(group_page.url)).get_text()
    # Asking twice changes nothing.
    partner.post(form["action"], {"message": "Again"})
    assert JoinRequest.objects.filter(user=people["partner"]).count() == 1

    chair = signed_in(people["chair"])
    members_url = f"/admin/working-groups/members/{group_page.working_group.pk}/"
    assert "Pat Partner" in chair.get(members_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        chair.post(members_url, {"action": "approve", "request": join_request.pk})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED and join_request.decided_by == people["chair"]
    assert mail.outbox[-1].to == ["partner@example.org"]
    assert area_url in mail.outbox[-1].body

    response = partner.get(area_url)  # the partner's next request
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Go to the members' area" in join_section(partner.get(group_page.url)).get_text()


def test_a_declined_request_leaves_the_area_closed(group_page, people, django_capture_on_commit_callbacks):
    partner = signed_in(people["partner"])
    partner.post(f"{group_page.url}join/", {"message": ""})
    join_request = JoinRequest.objects.get(user=people["partner"])
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people["chair"]).post(
            f"/admin/working-groups/members/{group_page.working_group.pk}/",
            {"action": "decline", "request": join_request.pk},
        )
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.DECLINED
    assert "declined" in mail.outbox[-1].body
    assert partner.get(group_page.members_area().url).status_code == 404


def test_only_members_of_partner_organisations_can_ask_to_join(client, group_page, people):
    stranger = signed_in(people["stranger"])
    assert "partner organisations" in join_section(stranger.get(group_page.url)).get_text()
    response = stranger.post(f"{group_page.url}join/", {"message": "Let me in"}, follow=True)
    assert "Only members of partner organisations" in response.content.decode()
    assert not JoinRequest.objects.exists()
    assert client.post(f"{group_page.url}join/").status_code == 302  # signed out: to the sign-in
    assert signed_in(people["partner"]).get(f"{group_page.url}join/").status_code == 405
    assert not JoinRequest.objects.exists()


# --- Chairs' admin screens --------------------------------------------------------------------


def test_members_screen_is_for_the_groups_chairs_and_the_board(group_page, people, section):
    url = f"/admin/working-groups/members/{group_page.working_group.pk}/"
    other = WorkingGroupPageFactory(parent=section, title="Street lights")
    other.working_group.chairs.add(people["partner"])
    assert signed_in(people["chair"]).get(url).status_code == 200
    assert signed_in(people["board"]).get(url).status_code == 200
    assert denied(signed_in(people["partner"]).get(url))  # chairs another group only
    assert denied(signed_in(people["member"]).get(url))
    index = signed_in(people["partner"]).get("/admin/working-groups/").content.decode()
    assert "Street lights" in index and "Grid security" not in index


def test_chairs_add_and_remove_members(group_page, people):
    chair = signed_in(people["chair"])
    url = f"/admin/working-groups/members/{group_page.working_group.pk}/"
    area_url = group_page.members_area().url
    assert signed_in(people["partner"]).get(area_url).status_code == 404
    chair.post(url, {"action": "add", "user": people["partner"].pk})
    assert signed_in(people["partner"]).get(area_url).status_code == 200
    chair.post(url, {"action": "remove", "user": people["partner"].pk})
    assert signed_in(people["partner"]).get(area_url).status_code == 404
    # Only partner members can be added.
    response = chair.post(url, {"action": "add", "user": people["stranger"].pk})
    assert response.status_code == 200 and not people["stranger"].groups.exists()


def test_chairs_edit_name_and_zone_but_only_the_board_chooses_chairs(group_page, people):
    edit = f"/admin/working-groups/edit/{group_page.working_group.pk}/"
    chair_form = signed_in(people["chair"]).get(edit).content.decode()
    assert 'name="time_zone"' in chair_form and 'name="chairs"' not in chair_form
    assert 'name="chairs"' in signed_in(people["board"]).get(edit).content.decode()
    assert denied(signed_in(people["board"]).get("/admin/working-groups/new/"))  # groups come with their page


def test_other_groups_members_only_pages_are_hidden_in_the_admin(group_page, people):
    meeting = MeetingPageFactory(parent=group_page.members_area(), title="Closed session")
    translators = Group.objects.get(name="Translators")
    translator = make_user("translator", translators)
    spanish = translate_page(group_page, codes=["es"])["es"]
    spanish_area = spanish.members_area()
    spanish_meeting = meeting.copy_for_translation(Locale.objects.get(language_code="es"), alias=True)
    client = signed_in(translator)
    listing = client.get(f"/admin/pages/{spanish.pk}/").content.decode()
    assert f"/admin/pages/{spanish_area.pk}/edit/" not in listing
    found = client.get("/admin/pages/search/?q=Closed+session").content.decode()
    assert f"/admin/pages/{spanish_meeting.pk}/" not in found and f"/admin/pages/{meeting.pk}/" not in found
    assert "Closed session" not in client.get("/admin/api/main/pages/?search=Closed").content.decode()
    assert client.get(f"/admin/pages/{spanish_meeting.pk}/edit/").status_code in (302, 403)
    # Members (partner users, otherwise limited to their organisation's pages) find and edit their
    # area, drafts in progress included.
    member = signed_in(people["member"])
    meeting.title = "Closed session (draft)"
    meeting.save_revision()
    assert member.get(f"/admin/pages/{meeting.pk}/edit/").status_code == 200
    assert f"/admin/pages/{group_page.members_area().pk}/" in member.get(f"/admin/pages/{group_page.pk}/").content.decode()
    assert "Closed session" in member.get(f"/admin/pages/{group_page.members_area().pk}/").content.decode()
    # Partner users outside the group do not.
    assert signed_in(people["partner"]).get(f"/admin/pages/{meeting.pk}/edit/").status_code in (302, 403, 404)


# --- Meetings, the calendar, sharing labels -----------------------------------------------------


@pytest.fixture
def meeting(group_page):
    group = group_page.working_group
    group.time_zone = "America/New_York"
    group.save()
    page = MeetingPageFactory(
        parent=group_page.members_area(),
        title="January call",
        date=datetime.date(2031, 1, 15),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 0),
        location="Video call",
    )
    page.save_revision().publish()
    return page


def test_meetings_are_shown_in_the_groups_time_zone_with_their_offset(meeting, people):
    html = signed_in(people["member"]).get(meeting.url).content.decode()
    assert "America/New_York, UTC−05:00" in html
    assert 'datetime="2031-01-15T10:00:00-05:00"' in html
    assert meeting.start.utcoffset() == datetime.timedelta(hours=-5)


def test_the_meeting_calendar_works_at_a_members_secret_address_until_revoked(meeting, people, group_page):
    member = signed_in(people["member"])
    area = member.get(group_page.members_area().url)
    url = soup(area).find("code").get_text()
    assert url.startswith("http://testserver/en/working-groups/grid-security/calendar/") and url.endswith(".ics")
    path = url.removeprefix("http://testserver")
    response = Client().get(path)  # a calendar app: no cookie
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "January call"
    assert event["DTSTART"].dt.isoformat() == "2031-01-15T10:00:00-05:00"
    assert str(event["CLASS"]) == "CONFIDENTIAL"
    assert Client().get(path.replace(".ics", "x.ics")).status_code == 404
    # Making a new address revokes the old one.
    member.post(f"{group_page.members_area().url}calendar/renew/")
    assert Client().get(path).status_code == 404
    new_path = soup(member.get(group_page.members_area().url)).find("code").get_text().removeprefix("http://testserver")
    assert Client().get(new_path).status_code == 200
    # Leaving the group closes it too.
    people["member"].groups.remove(group_page.working_group.group)
    assert Client().get(new_path).status_code == 404


@pytest.mark.parametrize("code", ["en", "ar"])
def test_sharing_labels_keep_their_standard_text_in_every_language(meeting, people, group_page, code):
    meeting.tlp = "amber-strict"
    meeting.save_revision().publish()
    if code != "en":
        translate_page(group_page, codes=[code])
        meeting = translate_page(meeting, codes=[code])[code]
    html = soup(signed_in(people["member"]).get(meeting.url))
    label = html.find(class_="tlp")
    assert "tlp--amber-strict" in label["class"]
    assert label.find(class_="tlp__label").get_text() == "TLP:AMBER+STRICT"
    assert label.find(class_="tlp__label")["lang"] == "en"


def test_members_only_pages_wait_for_the_second_factor_when_it_is_required(meeting, people, settings):
    settings.HUB_ADMIN_2FA_REQUIRED = True
    response = signed_in(people["member"]).get(meeting.url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/")


# --- Publishing a result ----------------------------------------------------------------------


def test_a_draft_is_proposed_as_a_guideline_for_the_boards_review_with_its_history(home, group_page, people):
    ArticleIndexPageFactory(parent=home)
    setup_board()  # the Board review workflow on the new library
    area = group_page.members_area()
    meeting = MeetingPageFactory(parent=area, title="Closed session")
    draft = DraftPageFactory(
        parent=area,
        title="Grid guideline",
        summary="How to secure the grid.",
        body=[("paragraph", RichText("<p>First words.</p>"))],
    )
    draft.save_revision(user=people["chair"]).publish()
    draft.body = [
        (
            "paragraph",
            RichText(f'<p>Second words, see <a linktype="page" id="{meeting.pk}">the session</a>.</p>'),
        )
    ]
    draft.save_revision(user=people["member"]).publish()

    client = signed_in(people["member"])
    propose_url = f"/admin/working-groups/propose/{draft.pk}/"
    assert propose_url in client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()  # the header button
    assert "A guideline in the article library" in client.get(propose_url).content.decode()
    client.post(propose_url, {"target": "guideline"})

    article = ArticlePage.objects.get(title="Grid guideline")
    assert not article.live and article.kind == ArticleKind.GUIDELINE
    assert article.summary == "How to secure the grid."
    body = article.get_latest_revision_as_object().body
    assert str(body[0].value) == "<p>Second words, see the session.</p>"  # no link into the members' area
    revisions = list(article.revisions.order_by("created_at", "pk"))
    assert [revision.user for revision in revisions[:2]] == [people["chair"], people["member"]]
    assert "First words." in str(revisions[0].content["body"])
    assert article.get_latest_revision().user == people["member"]
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert PageLogEntry.objects.filter(page=article, action=IMPORTED_REVISION).count() == 2
    history = signed_in(people["board"]).get(f"/admin/pages/{article.pk}/history/")
    assert history.status_code == 200 and "Version from Grid security" in history.content.decode()

    draft.refresh_from_db()
    assert draft.proposed_page_id == article.pk and draft.status == "proposed"
    client.post(propose_url, {"target": "guideline"})
    assert ArticlePage.objects.filter(title="Grid guideline").count() == 1
    # Outsiders cannot propose a group's draft.
    assert denied(signed_in(people["partner"]).get(propose_url))
