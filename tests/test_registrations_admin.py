"""Registrations for organisers: who sees them (a test walks every URL), the report, check-in,
CSV export, messages to attendees, and the settings in the event editor."""

import csv
import io

import pytest

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, streamfield

from events.models import EventOrganiser
from registrations import links
from registrations.admin_views import safe_cell
from registrations.choices import RegistrationStatus
from registrations.models import Registration, RegistrationSettings
from tests.admin_forms import event_form
from tests.factories import RegistrationFactory, RegistrationSettingsFactory
from tests.helpers import make_user
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_event, two_partners):
    """Alpha's event (Alpha organises it) and Beta's event (proposed by a Beta user), one registration each."""
    alpha_event = make_event(title="Alpha workshop", slug="alpha-workshop")
    EventOrganiser.objects.create(page=alpha_event, partner=two_partners["a"])
    RegistrationSettingsFactory(page=alpha_event, capacity=5)
    beta_user = make_user("beta", two_partners["group_b"])
    beta_event = make_event(title="Beta briefing", slug="beta-briefing", owner=beta_user)
    RegistrationSettingsFactory(page=beta_event)
    return {
        "alpha_event": alpha_event,
        "beta_event": beta_event,
        "alpha_registration": RegistrationFactory(event=alpha_event, name="Alice Alpha", email="alice@example.org"),
        "beta_registration": RegistrationFactory(event=beta_event, name="Bob Beta", email="bob@example.org"),
        "alpha_user": make_user("alpha", two_partners["group_a"]),
        "beta_user": beta_user,
        "board_user": make_user("board", two_partners["group_a"].__class__.objects.get(name="Board")),
    }


def urls_of(event, registration):
    """Every organiser URL of one event: (method, url)."""
    urls = [
        ("get", reverse("registrations_report", args=[event.pk])),
        ("get", reverse("registrations_report", args=[event.pk]) + "?show=all&q=a"),
        ("get", reverse("registrations_export", args=[event.pk])),
        ("get", reverse("registrations_message", args=[event.pk])),
        ("post", reverse("registrations_message", args=[event.pk])),
    ]
    for action in ["approve", "refuse", "cancel", "waiting", "check-in"]:
        urls.append(("post", reverse("registrations_action", args=[event.pk, registration.pk, action])))
    return urls


def test_nobody_else_reaches_any_registration_url(client, setup):
    """Signed out, another partner's users, or signed in without admin access: 403 on every URL."""
    alpha = urls_of(setup["alpha_event"], setup["alpha_registration"])
    for method, url in [("get", reverse("registrations_events")), *alpha]:
        response = getattr(client, method)(url, {"subject": "x", "body": "y", "recipients": "confirmed"})
        assert response.status_code == 403, url
        assert b"Alice" not in response.content
    client.force_login(setup["beta_user"])
    for method, url in alpha:
        response = getattr(client, method)(url, {"subject": "x", "body": "y", "recipients": "confirmed"})
        assert response.status_code == 403, url
        assert b"Alice" not in response.content
    # A registration of one event through another event's URL is refused too.
    crossed = reverse("registrations_action", args=[setup["beta_event"].pk, setup["alpha_registration"].pk, "cancel"])
    assert client.post(crossed).status_code == 403
    assert client.get(reverse("registrations_report", args=[999999])).status_code == 403
    listing = client.get(reverse("registrations_events")).content.decode()
    assert "Beta briefing" in listing and "Alpha workshop" not in listing
    # Someone signed in without admin access is refused too.
    client.force_login(make_user("visitor"))
    assert client.get(reverse("registrations_events")).status_code == 403
    assert client.get(reverse("registrations_report", args=[setup["beta_event"].pk])).status_code == 403
    # The public registration URLs: a manage link that was not issued is a 404 for anyone.
    token = links.make_token(setup["alpha_registration"])
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    for user in (None, setup["beta_user"]):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for method in ("get", "post"):
            response = getattr(client, method)(f"/en/registrations/{forged}/", {"action": "cancel"})
            assert response.status_code == 404 and b"Alice" not in response.content
    setup["alpha_registration"].refresh_from_db()
    assert setup["alpha_registration"].status == RegistrationStatus.CONFIRMED
    assert not mail.outbox


def test_partners_see_their_own_events_and_the_board_sees_all(client, setup):
    client.force_login(setup["alpha_user"])
    listing = client.get(reverse("registrations_events")).content.decode()
    assert "Alpha workshop" in listing and "Beta briefing" not in listing
    report = client.get(reverse("registrations_report", args=[setup["alpha_event"].pk]))
    assert report.status_code == 200
    assert "Alice Alpha" in report.content.decode() and "Bob Beta" not in report.content.decode()
    client.force_login(setup["board_user"])
    listing = client.get(reverse("registrations_events")).content.decode()
    assert "Alpha workshop" in listing and "Beta briefing" in listing
    for event in (setup["alpha_event"], setup["beta_event"]):
        assert client.get(reverse("registrations_report", args=[event.pk])).status_code == 200


def test_report_counts_filters_and_status_changes(client, setup, django_capture_on_commit_callbacks):
    event = setup["alpha_event"]
    RegistrationFactory(event=event, name="Wendy Waiting", status=RegistrationStatus.WAITING)
    pending = RegistrationFactory(event=event, name="Pat Pending", status=RegistrationStatus.PENDING)
    RegistrationFactory(event=event, name="Ned Needs", access_needs=["captions"], access_notes="Front row")
    client.force_login(setup["alpha_user"])
    url = reverse("registrations_report", args=[event.pk])
    page = soup(client.get(url))
    text = page.get_text(" ", strip=True)
    assert "3 of 5 places taken." in text
    assert "Confirmed 2, pending approval 1, offered 0, waiting 1" in text
    assert "Live captions" in text and "Front row" in text
    only_waiting = soup(client.get(url + "?show=waiting")).get_text(" ", strip=True)
    assert "Wendy Waiting" in only_waiting and "Alice Alpha" not in only_waiting
    searched = soup(client.get(url + "?show=all&q=ned")).get_text(" ", strip=True)
    assert "Ned Needs" in searched and "Alice" not in searched
    assert client.get(url + "?show=%00nonsense&q=" + "x" * 500).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations_action", args=[event.pk, pending.pk, "approve"]), {"next": url + "?show=pending"}
        )
    assert response.status_code == 302 and response.url == url + "?show=pending"
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.CONFIRMED
    assert [message.to for message in mail.outbox] == [[pending.email]]
    # An outside "next" is ignored.
    response = client.post(
        reverse("registrations_action", args=[event.pk, pending.pk, "refuse"]), {"next": "https://evil.example/"}
    )
    assert response.url == url


def test_check_in_toggles_from_the_report(client, setup):
    registration = setup["alpha_registration"]
    client.force_login(setup["alpha_user"])
    url = reverse("registrations_action", args=[setup["alpha_event"].pk, registration.pk, "check-in"])
    report = soup(client.get(reverse("registrations_report", args=[setup["alpha_event"].pk])))
    button = report.select_one(f"#registration-{registration.pk} form[action='{url}'] button")
    assert button["aria-pressed"] == "false" and "Check in" in button.get_text()
    assert client.post(url).status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    report = soup(client.get(reverse("registrations_report", args=[setup["alpha_event"].pk]) + "?show=checked-in"))
    assert report.select_one(f"#registration-{registration.pk} button[aria-pressed=true]")
    client.post(url)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Ada", "Ada"),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert safe_cell(value) == expected


def test_csv_export(client, setup):
    event = setup["alpha_event"]
    RegistrationFactory(
        event=event,
        name="=cmd|' /C calc'!A0",
        organisation="@evil",
        answers=[{"question": "Role", "answer": "+danger"}],
        access_needs=["step-free"],
    )
    client.force_login(setup["alpha_user"])
    response = client.get(reverse("registrations_export", args=[event.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Email", "Organisation"] and rows[0][-1] == "Role"
    hostile = rows[-1]
    assert hostile[0] == "'=cmd|' /C calc'!A0" and hostile[2] == "'@evil" and hostile[-1] == "'+danger"
    assert "Step-free access" in hostile
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_message_all_attendees_goes_through_the_queue(client, setup, django_capture_on_commit_callbacks):
    event = setup["alpha_event"]
    RegistrationFactory(event=event, email="second@example.org", language="fr")
    RegistrationFactory(event=event, email="waiting@example.org", status=RegistrationStatus.WAITING)
    client.force_login(setup["alpha_user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations_message", args=[event.pk]),
            {"recipients": "confirmed", "subject": "Room change", "body": "We moved to room 2.\n\nSee you there."},
        )
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.org", "second@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("Room change") and "We moved to room 2." in message.body
    assert "/registrations/" in message.body
    invalid = client.post(reverse("registrations_message", args=[event.pk]), {"subject": "a\nb", "body": ""})
    assert invalid.status_code == 200 and len(mail.outbox) == 2


def test_page_listing_shows_counts(client, setup):
    client.force_login(setup["board_user"])
    RegistrationFactory(event=setup["alpha_event"], status=RegistrationStatus.WAITING)
    listing = client.get(reverse("wagtailadmin_explore", args=[setup["alpha_event"].get_parent().pk]))
    text = listing.content.decode()
    assert "Registrations 1/5" in text and "(1 waiting)" in text
    assert reverse("registrations_report", args=[setup["alpha_event"].pk]) in text


def test_registration_settings_in_the_event_editor(client, events_index):
    client.force_login(make_user("editor", is_superuser=True))
    edit = client.get(reverse("wagtailadmin_pages:add", args=["events", "eventpage", events_index.pk]))
    assert "Registration on this site" in edit.content.decode()
    settings_form = {
        "opens_at": "",
        "capacity": "12",
        "waiting_list": "on",
        "offer_hours": "0",
        "requires_approval": "",
        "public_participants": "on",
        "reminder_days": "3",
        "meeting_url": "",
        "questions": streamfield([]),
        "confirmation_text": "Bring your badge.",
    }
    data = event_form(registration_settings=inline_formset([settings_form]))
    response = client.post(reverse("wagtailadmin_pages:add", args=["events", "eventpage", events_index.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # One per language: the English page's, and its copies in the other languages' aliases.
    saved = RegistrationSettings.objects.get(page__locale__language_code="en")
    assert saved.capacity == 12 and saved.reminder_days == 3 and saved.public_participants
    assert saved.locale == saved.page.locale
    assert client.get("/en/events/workshop/register/").status_code == 200


def test_nothing_of_a_registration_is_public(client, setup):
    """Not on the event page, the listing, calendars, search, API, sitemap or the status fragment."""
    RegistrationFactory(event=setup["alpha_event"], name="Zed Secret", email="zed@example.org", organisation="Hidden Org")
    token = links.make_token(setup["alpha_registration"])
    for url in [
        "/en/events/alpha-workshop/",
        "/en/events/",
        "/en/events/calendar.ics",
        "/en/events/alpha-workshop/event.ics",
        "/en/events/alpha-workshop/register/",
        "/en/events/alpha-workshop/register/status/",
        "/en/search/?q=Secret",
        "/en/search/?q=Hidden",
        "/api/v2/pages/?type=events.EventPage&fields=*",
        f"/api/v2/pages/{setup['alpha_event'].pk}/",
        "/sitemap.xml",
    ]:
        response = client.get(url)
        content = response.content.decode()
        for secret in ["Zed Secret", "zed@example.org", "Hidden Org", "Alice Alpha", "alice@example.org", token]:
            assert secret not in content, (url, secret)
    assert Registration.objects.count() == 3


def test_page_listing_counts_cost_the_same_queries_at_5_and_25_events(client, setup, make_event):
    """The counts beside each event are read from one annotated listing, never a query per row.

    Only the queries that read registrations are counted: wagtail-localize's "Translate" and
    "Sync" buttons cost two queries per row of their own (not the hub's; see the report).
    """
    client.force_login(setup["board_user"])
    url = reverse("wagtailadmin_explore", args=[setup["alpha_event"].get_parent().pk])
    partner = setup["alpha_event"].organisers.first().partner

    def add_events(count):
        for _number in range(count):
            event = make_event(title="More")
            EventOrganiser.objects.create(page=event, partner=partner)
            RegistrationSettingsFactory(page=event, capacity=3)
            RegistrationFactory(event=event)
            RegistrationFactory(event=event, status=RegistrationStatus.WAITING)

    def registration_queries():
        client.get(url)  # warm-up (the session lives in the cache: no cache.clear() here)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        reading = [query["sql"] for query in captured.captured_queries if '"registrations_' in query["sql"]]
        return response, len(reading)

    add_events(3)  # 5 events taking registrations
    _response, at_5 = registration_queries()
    add_events(20)  # 25
    response, at_25 = registration_queries()
    assert response.content.decode().count("Registrations 1/3 (1 waiting)") == 23
    assert at_25 == at_5 <= 2


def test_page_search_and_the_explorer_menu_still_work_with_the_annotated_listing(client, setup):
    client.force_login(setup["board_user"])
    index = setup["alpha_event"].get_parent()
    found = client.get(reverse("wagtailadmin_explore", args=[index.pk]) + "?q=Alpha")
    assert found.status_code == 200 and "Registrations 1/5" in found.content.decode()
    whole_tree = client.get(reverse("wagtailadmin_pages:search") + "?q=Alpha")
    assert whole_tree.status_code == 200
    menu = client.get(f"/admin/api/main/pages/?child_of={index.pk}&for_explorer=1")
    assert menu.status_code == 200 and menu.json()["meta"]["total_count"] == 2
