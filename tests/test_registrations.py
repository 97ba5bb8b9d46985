"""Registering for events: the form on the event page, seats and the waiting list, mail with the
calendar entry in the registrant's language, and the signed manage link."""

import re
import time
from datetime import timedelta
from email import message_from_bytes

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from django.core import mail, signing
from django.utils import timezone

from wagtail.models import PageViewRestriction, Site

from events.models import EventStatus
from hub.models import SiteSettings
from registrations import links, seats
from registrations.choices import RegistrationStatus
from registrations.forms import RegistrationForm
from registrations.models import Registration
from tests.factories import RegistrationFactory, RegistrationSettingsFactory
from tests.helpers import local, translate_page
from tests.html import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(make_event):
    """A workshop in Madrid on 15 January 2031, 10:00–12:00 local time, taking 2 registrations here."""
    event = make_event(
        title="Smart lighting workshop",
        slug="workshop",
        start=local("Europe/Madrid", 2031, 1, 15, 10, 0),
        end=local("Europe/Madrid", 2031, 1, 15, 12, 0),
    )
    RegistrationSettingsFactory(page=event, capacity=2)
    return event


def form_data(**changes):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "organisation": "Analytical Engines",
        "access_notes": "",
        "consent": "on",
        "homepage": "",
        "started": RegistrationForm.sign_started(time.time() - 60),
    }
    data.update(changes)
    return data


def register(client, path="/en/events/workshop/register/", capture=None, **changes):
    if capture is None:
        return client.post(path, form_data(**changes))
    with capture(execute=True):
        return client.post(path, form_data(**changes))


def ics_of(message):
    """The parsed calendar attached to a mail (as the mail client would read it)."""
    parsed = message_from_bytes(message.message().as_bytes())
    parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_payload(decode=True)), parts[0]


def html_of(message):
    return BeautifulSoup(message.alternatives[0][0], "html.parser") if message.alternatives else None


def manage_link(message):
    match = re.search(r"http://testserver(/\w\w/registrations/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# --- The event page and the form ------------------------------------------------------------


def test_event_page_shows_registration_and_links_to_the_form(client, workshop):
    html = soup(client.get("/en/events/workshop/"))
    section = html.select_one(".event-registration")
    assert section is not None
    assert "2 places left." in section.get_text(" ", strip=True)
    assert section.select_one('a.button[href="/en/events/workshop/register/"]')
    assert section.select_one("[data-registration-status]")["data-registration-status"] == "/en/events/workshop/register/status/"
    assert section.select_one('script[src$="registrations/status.js"]')


def test_event_without_settings_has_no_registration(client, make_event):
    make_event(slug="plain")
    assert soup(client.get("/en/events/plain/")).select_one(".event-registration") is None
    assert client.get("/en/events/plain/register/").status_code == 404


def test_external_registration_link_keeps_working(client, make_event):
    event = make_event(slug="external", registration_url="https://tickets.example/x")
    RegistrationSettingsFactory(page=event)
    html = soup(client.get("/en/events/external/"))
    assert html.select_one('a[href="https://tickets.example/x"]')
    assert html.select_one(".event-registration") is None
    assert client.get("/en/events/external/register/").status_code == 404


def test_form_has_labels_accessibility_and_consent(client, workshop):
    response = client.get("/en/events/workshop/register/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = soup(response)
    for name in ["name", "email", "organisation", "access_notes", "consent"]:
        field = html.select_one(f'[name="{name}"]')
        assert field is not None, name
        assert html.select_one(f'label[for="{field["id"]}"]') is not None, name
    needs = html.select('input[name="access_needs"]')
    assert len(needs) >= 5
    assert html.select_one("fieldset legend").get_text(strip=True).startswith("Accessibility needs")
    assert html.select_one(".join-form__trap [name=homepage]")
    assert "deleted 30 days after the event" in html.get_text()


def test_questions_are_asked_and_answers_stored(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(slug="with-questions")
    RegistrationSettingsFactory(
        page=event,
        questions=[
            {"type": "question", "value": {"label": "Your role", "help_text": "", "kind": "text", "choices": [], "required": True}},
            {
                "type": "question",
                "value": {"label": "Sessions", "help_text": "", "kind": "choices", "choices": ["Morning", "Afternoon"], "required": False},
            },
        ],
    )
    html = soup(client.get("/en/events/with-questions/register/"))
    labels = [label.get_text(" ", strip=True) for label in html.select("label, legend")]
    assert any(label.startswith("Your role") for label in labels)
    role = html.select_one("input[name^=question_]")["name"]
    sessions = html.select('input[type=checkbox][name^="question_"]')[0]["name"]
    missing = register(client, "/en/events/with-questions/register/")
    assert missing.status_code == 400 and not Registration.objects.exists()
    register(
        client,
        "/en/events/with-questions/register/",
        django_capture_on_commit_callbacks,
        **{role: "CISO", sessions: ["Morning", "Afternoon"]},
    )
    registration = Registration.objects.get()
    assert registration.answers == [
        {"question": "Your role", "answer": "CISO"},
        {"question": "Sessions", "answer": "Morning, Afternoon"},
    ]


# --- Registering ------------------------------------------------------------------------------


def test_registering_confirms_and_mails_the_calendar_entry(client, workshop, django_capture_on_commit_callbacks):
    response = register(client, capture=django_capture_on_commit_callbacks, access_needs=["step-free"])
    assert response.status_code == 200
    assert "Your place is confirmed." in soup(response).select_one("[role=status]").get_text()
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.event == workshop and registration.language == "en"
    assert registration.access_needs == ["step-free"]
    assert registration.consent_version and "I agree" in registration.consent_text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert "confirmed" in message.subject.lower() and "Smart lighting workshop" in message.subject
    assert "10:00–12:00" in message.body and "UTC+01:00" in message.body and "Madrid time" in message.body
    calendar, _part = ics_of(message)
    assert calendar["method"] == "PUBLISH"
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["uid"]) == workshop.ical_uid


def test_registering_twice_changes_nothing_and_says_so(client, workshop, django_capture_on_commit_callbacks):
    register(client, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    response = register(client, capture=django_capture_on_commit_callbacks, email="ADA@example.org", name="Someone else")
    assert "already registered" in soup(response).select_one("[role=status]").get_text()
    registration = Registration.objects.get()
    assert registration.name == "Ada Lovelace"
    # The link is mailed to the address, never shown to whoever typed it.
    assert "/registrations/" not in response.content.decode()
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]


def test_full_event_puts_people_on_the_waiting_list_in_order(client, workshop, django_capture_on_commit_callbacks):
    for number in range(4):
        register(client, capture=django_capture_on_commit_callbacks, email=f"p{number}@example.org")
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]
    waiting_mail = [message for message in mail.outbox if message.to == ["p3@example.org"]][0]
    assert "waiting list" in waiting_mail.subject and "number 2 on the waiting list" in waiting_mail.body
    assert not waiting_mail.attachments  # no seat, no calendar entry yet
    assert "waiting list" in soup(client.get("/en/events/workshop/register/")).get_text()


def test_full_event_without_waiting_list_refuses_clearly(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(slug="small")
    RegistrationSettingsFactory(page=event, capacity=1, waiting_list=False)
    register(client, "/en/events/small/register/", django_capture_on_commit_callbacks, email="a@example.org")
    response = register(client, "/en/events/small/register/", django_capture_on_commit_callbacks, email="b@example.org")
    assert "the event is full" in soup(response).get_text().lower()
    assert Registration.objects.count() == 1


def test_approval_keeps_registrations_pending(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(slug="approved")
    RegistrationSettingsFactory(page=event, requires_approval=True)
    response = register(client, "/en/events/approved/register/", django_capture_on_commit_callbacks)
    assert "approve each registration" in soup(response).get_text()
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    seats.approve(registration)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_registration_closes_at_the_deadline_or_the_start(client, make_event):
    now = timezone.now()
    started = make_event(slug="started", start=now - timedelta(minutes=5), end=now + timedelta(hours=1))
    RegistrationSettingsFactory(page=started)
    deadline = make_event(slug="deadline", registration_deadline=now - timedelta(hours=1))
    RegistrationSettingsFactory(page=deadline)
    later = make_event(slug="later")
    RegistrationSettingsFactory(page=later, opens_at=now + timedelta(days=1))
    for slug, text in [("started", "Registration is closed."), ("deadline", "Registration is closed."), ("later", "not opened yet")]:
        response = client.get(f"/en/events/{slug}/register/")
        assert text in soup(response).get_text(), slug
        assert not soup(response).select_one("form.registration-form")
        register(client, f"/en/events/{slug}/register/")
    assert not Registration.objects.exists()


def test_cancelled_event_takes_no_registrations(client, make_event):
    event = make_event(slug="off", status=EventStatus.CANCELLED)
    RegistrationSettingsFactory(page=event)
    register(client, "/en/events/off/register/")
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "Ada\nBcc: victim@example.org"},
        {"organisation": "Evil\rCorp"},
        {"name": "Ada\u202eecalevol"},  # a bidi override that reorders how the name reads
        {"access_notes": "Ramp\x07please"},
        {"email": "not-an-address"},
        {"name": ""},
        {"consent": ""},
        {"name": "x" * 121},
        {"access_notes": "y" * 1001},
        {"access_needs": ["not-a-need"]},
    ],
)
def test_bad_input_is_refused_with_a_clear_error(client, workshop, changes):
    response = register(client, **changes)
    assert response.status_code == 400
    html = soup(response)
    assert html.select_one(".form-error-summary[role=alert]")
    assert html.select_one(".errorlist")
    assert not Registration.objects.exists()


def test_nul_and_junk_never_give_a_500(client, workshop):
    assert client.post("/en/events/workshop/register/", {"name": "\x00", "started": "\x00"}).status_code in (200, 400)
    assert client.post("/en/events/workshop/register/", {"email": ["a", "b"], "access_needs": "x" * 5000}).status_code in (200, 400)


def test_eleventh_registration_from_one_address_within_an_hour_gets_429(client, workshop):
    translate_page(workshop, ["fr"])
    for number in range(10):
        assert register(client, email=f"bad{number}").status_code == 400
    response = register(client, path="/fr/events/workshop/register/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert soup(response).html["lang"] == "fr"
    assert not Registration.objects.exists()
    assert client.post("/en/events/workshop/register/", form_data(), REMOTE_ADDR="192.0.2.9").status_code == 200


# The honeypot and the request to confirm a fast submission: tests/test_spam_traps.py (shared
# with the join form).


# --- Mail in the registrant's language --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "weekday"),
    [("es", "miércoles"), ("fr", "mercredi"), ("ar", "الأربعاء")],
)
def test_confirmation_mail_in_the_registrants_language(client, workshop, django_capture_on_commit_callbacks, code, weekday):
    translate_page(workshop, [code])
    response = register(client, f"/{code}/events/workshop/register/", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.language == code and registration.event == workshop
    (message,) = mail.outbox
    assert f"({code})" in message.subject  # the translated title
    assert weekday in message.body.lower()
    assert "10:00–12:00" in message.body and "UTC+01:00" in message.body
    assert f"http://testserver/{code}/registrations/" in message.body
    html = html_of(message)
    assert html.html["lang"] == code
    assert html.html["dir"] == ("rtl" if code == "ar" else "ltr")
    assert html.body["dir"] == ("rtl" if code == "ar" else "ltr")
    # The attached entry is the public calendar's: same UID, same instant.
    calendar, _part = ics_of(message)
    (entry,) = calendar.walk("VEVENT")
    public = Calendar.from_ical(client.get(f"/{code}/events/workshop/event.ics").content)
    (public_entry,) = public.walk("VEVENT")
    assert str(entry["uid"]) == str(public_entry["uid"]) == workshop.ical_uid
    assert entry.decoded("dtstart") == public_entry.decoded("dtstart") == workshop.start
    assert entry.decoded("dtstart").utcoffset() == timedelta(hours=1)


def test_arabic_mail_isolates_times_and_offsets(client, workshop, django_capture_on_commit_callbacks):
    translate_page(workshop, ["ar"])
    register(client, "/ar/events/workshop/register/", django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert "\u206610:00–12:00\u2069" in message.body
    assert "\u2066UTC+01:00\u2069" in message.body


# --- The manage link --------------------------------------------------------------------------


def test_manage_link_works_signed_out_and_cancels_once(client, workshop, django_capture_on_commit_callbacks):
    register(client, capture=django_capture_on_commit_callbacks)
    link = manage_link(mail.outbox[0])
    mail.outbox.clear()
    page = client.get(link)
    assert page.status_code == 200
    assert "Ada Lovelace" in page.content.decode() and "Confirmed" in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(link, {"action": "cancel"})
    assert first.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
    (cancelled,) = mail.outbox
    calendar, _part = ics_of(cancelled)
    assert calendar["method"] == "CANCEL"
    (entry,) = calendar.walk("VEVENT")
    assert entry["status"] == "CANCELLED" and str(entry["uid"]) == workshop.ical_uid
    assert int(entry["sequence"]) > workshop.sequence
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(link, {"action": "cancel"})
    assert second.status_code == 302 and len(mail.outbox) == 1
    assert "no longer active" in client.get(link).content.decode()
    # Registering again after cancelling is a new registration.
    register(client, capture=django_capture_on_commit_callbacks)
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_manage_link_changes_details(client, workshop, django_capture_on_commit_callbacks):
    register(client, capture=django_capture_on_commit_callbacks)
    link = manage_link(mail.outbox[0])
    response = client.post(link, {"action": "change", "name": "Ada King", "organisation": "", "access_needs": ["captions"]})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.name == "Ada King" and registration.access_needs == ["captions"]
    bad = client.post(link, {"action": "change", "name": "Ada\nKing"})
    assert bad.status_code == 400 and Registration.objects.get().name == "Ada King"


def test_tampered_or_expired_links_fail_cleanly(client, workshop, settings):
    registration = RegistrationFactory(event=workshop)
    token = links.make_token(registration)
    assert client.get(f"/en/registrations/{token}/").status_code == 200
    for bad in [token[:-2] + "xx", token.replace(":", ";", 1), "nonsense", "a" * 500]:
        response = client.get(f"/en/registrations/{bad}/")
        assert response.status_code == 404
        assert "does not work" in soup(response).h1.get_text()
        assert client.post(f"/en/registrations/{bad}/", {"action": "cancel"}).status_code == 404
    # Signed for another registration's key (a replaced link) does not work either.
    other = signing.dumps([registration.pk, "other-key"], salt=links.SALT, compress=True)
    assert client.get(f"/en/registrations/{other}/").status_code == 404
    settings.HUB_REGISTRATION_LINK_DAYS = 0
    time.sleep(1.1)
    expired = client.get(f"/en/registrations/{token}/")
    assert expired.status_code == 410
    assert "expired" in soup(expired).h1.get_text()
    assert client.post(f"/en/registrations/{token}/", {"action": "cancel"}).status_code == 410
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_manage_link_works_on_a_members_only_event(client, workshop):
    PageViewRestriction.objects.create(page=workshop, restriction_type=PageViewRestriction.LOGIN)
    registration = RegistrationFactory(event=workshop)
    assert client.get("/en/events/workshop/register/").status_code == 302  # the page asks to sign in
    assert client.get(links.manage_path(registration)).status_code == 200


# --- Waiting list ------------------------------------------------------------------------------


def test_cancellation_promotes_the_first_waiting_person_and_tells_them(workshop, django_capture_on_commit_callbacks):
    confirmed = [RegistrationFactory(event=workshop) for _ in range(2)]
    now = timezone.now()
    first = RegistrationFactory(event=workshop, status=RegistrationStatus.WAITING, created_at=now - timedelta(hours=2))
    second = RegistrationFactory(event=workshop, status=RegistrationStatus.WAITING, created_at=now - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        seats.cancel(confirmed[0])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED and second.status == RegistrationStatus.WAITING
    promoted = [message for message in mail.outbox if message.to == [first.email]]
    assert len(promoted) == 1 and "place became free" in promoted[0].subject.lower()
    ics_of(promoted[0])


def test_time_limited_offer_must_be_accepted(client, workshop, django_capture_on_commit_callbacks):
    settings = workshop.registration_settings.get()
    settings.offer_hours = 24
    settings.save()
    holder = RegistrationFactory(event=workshop)
    RegistrationFactory(event=workshop)
    waiting = RegistrationFactory(event=workshop, status=RegistrationStatus.WAITING)
    next_in_line = RegistrationFactory(event=workshop, status=RegistrationStatus.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        seats.cancel(holder)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED and waiting.offer_expires_at
    offer = [message for message in mail.outbox if message.to == [waiting.email]][0]
    link = manage_link(offer)
    assert "Accept the place" in client.get(link).content.decode()
    # Not accepted in time: it lapses and goes to the next person.
    with django_capture_on_commit_callbacks(execute=True):
        assert seats.expire_offers(timezone.now() + timedelta(hours=25)) == 1
    waiting.refresh_from_db()
    next_in_line.refresh_from_db()
    assert waiting.status == RegistrationStatus.CANCELLED and next_in_line.status == RegistrationStatus.OFFERED
    response = client.post(links.manage_path(next_in_line), {"action": "accept"})
    assert response.status_code == 302 and response.url.endswith("?done=accepted")
    next_in_line.refresh_from_db()
    assert next_in_line.status == RegistrationStatus.CONFIRMED


def test_more_capacity_promotes_from_the_waiting_list(workshop, django_capture_on_commit_callbacks):
    RegistrationFactory(event=workshop)
    RegistrationFactory(event=workshop)
    waiting = RegistrationFactory(event=workshop, status=RegistrationStatus.WAITING)
    settings = workshop.registration_settings.get()
    settings.capacity = 3
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        workshop.save_revision().publish()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [message.to for message in mail.outbox] == [[waiting.email]]


# --- Event changes -----------------------------------------------------------------------------


def test_moving_the_event_mails_an_update_with_a_higher_sequence(workshop, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(event=workshop)
    with django_capture_on_commit_callbacks(execute=True):
        workshop.save_revision().publish()  # nothing registrants care about changed
    assert not mail.outbox
    old_sequence = workshop.sequence
    workshop.start += timedelta(days=1)
    workshop.end += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        workshop.save_revision().publish()
    (message,) = mail.outbox
    assert message.to == [registration.email] and "changed" in message.subject.lower()
    assert "Thursday" in message.body
    calendar, _part = ics_of(message)
    (entry,) = calendar.walk("VEVENT")
    assert int(entry["sequence"]) > old_sequence
    assert entry.decoded("dtstart") == workshop.start


def test_cancelling_the_event_mails_a_cancellation(workshop, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(event=workshop)
    workshop.status = EventStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        workshop.save_revision().publish()
    (message,) = mail.outbox
    assert message.to == [registration.email]
    calendar, _part = ics_of(message)
    assert calendar["method"] == "CANCEL"
    (entry,) = calendar.walk("VEVENT")
    assert entry["status"] == "CANCELLED"
    assert str(entry["attendee"]) == f"mailto:{registration.email}" and str(entry["organizer"]).startswith("mailto:")


# --- Seats on the public page -------------------------------------------------------------------


def test_status_fragment_is_correct_right_after_a_registration(client, workshop, django_capture_on_commit_callbacks, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # created once, on first use
    client.get("/en/events/workshop/")
    cached = client.get("/en/events/workshop/")
    assert cached["X-Cache"] == "hit"
    status = client.get("/en/events/workshop/register/status/")
    assert "2 places left." in status.content.decode()
    assert "private" in status["Cache-Control"] and "X-Cache" not in status
    register(client, capture=django_capture_on_commit_callbacks)
    assert "1 place left." in client.get("/en/events/workshop/register/status/").content.decode()
    # The page itself stayed in the cache: a registration does not invalidate it.
    assert client.get("/en/events/workshop/")["X-Cache"] == "hit"
    register(client, capture=django_capture_on_commit_callbacks, email="b@example.org")
    assert "full" in client.get("/en/events/workshop/register/status/").content.decode()


def test_only_consenting_participants_are_listed(client, workshop):
    settings = workshop.registration_settings.get()
    settings.public_participants = True
    settings.capacity = 10
    settings.save()
    RegistrationFactory(event=workshop, name="Listed Person", organisation="Open Org", list_publicly=True)
    RegistrationFactory(event=workshop, name="Private Person", email="private@example.org")
    RegistrationFactory(event=workshop, name="Waiting Listed", status=RegistrationStatus.WAITING, list_publicly=True)
    fragment = client.get("/en/events/workshop/register/status/").content.decode()
    assert "Listed Person, Open Org" in fragment
    assert "Private Person" not in fragment and "Waiting Listed" not in fragment
    form = soup(client.get("/en/events/workshop/register/"))
    assert form.select_one("[name=list_publicly]")


def test_meeting_link_only_for_confirmed_attendees(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(slug="online", event_format="online", online_url="https://example.org/about-the-webinar")
    RegistrationSettingsFactory(page=event, capacity=1, meeting_url="https://meet.example.org/secret-room")
    path = "/en/events/online/register/"
    register(client, path, django_capture_on_commit_callbacks, email="first@example.org")
    register(client, path, django_capture_on_commit_callbacks, email="second@example.org")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "https://meet.example.org/secret-room" in by_address["first@example.org"].body
    assert "https://meet.example.org/secret-room" not in by_address["second@example.org"].body  # waiting
    confirmed = Registration.objects.get(email="first@example.org")
    assert "secret-room" in client.get(links.manage_path(confirmed)).content.decode()
    waiting = Registration.objects.get(email="second@example.org")
    assert "secret-room" not in client.get(links.manage_path(waiting)).content.decode()
    for url in ["/en/events/online/", "/en/events/online/event.ics", "/en/events/calendar.ics", path, path + "status/"]:
        assert "secret-room" not in client.get(url).content.decode(), url
