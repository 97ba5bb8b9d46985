"""Events: listings, event pages in every locale, time zones, calendars, JSON-LD and the admin form."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar, Timezone

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction

from events.calendar import vtimezone
from events.models import EventIndexPage, EventPage, EventPageTag, EventStatus
from home.models import HomePage
from hub.models import Topic
from tests.admin_forms import event_form
from tests.factories import EventPageFactory, PartnerIndexPageFactory, PartnerPageFactory, PersonFactory
from tests.helpers import local, query_counts, translate_page
from tests.html import soup

LANGUAGES = [code for code, _name in settings.LANGUAGES]
pytestmark = pytest.mark.django_db


def titles(response):
    return [a.get_text(strip=True) for a in soup(response).select(".event-card h2 a")]


def parse_ics(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar):
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


# --- Page tree ------------------------------------------------------------------------------


def test_page_tree_rules(home, events_index):
    assert EventIndexPage.can_exist_under(home)
    assert not EventIndexPage.can_create_at(home)  # one per home page
    assert EventPage.can_create_at(events_index)
    assert not EventPage.can_create_at(home)


# --- Upcoming and past ----------------------------------------------------------------------


def test_an_event_is_upcoming_until_its_end(make_event):
    now = timezone.now().replace(microsecond=0)
    make_event(title="Ended a second ago", start=now - timedelta(days=2), end=now - timedelta(seconds=1))
    make_event(title="Ends now", start=now - timedelta(days=3), end=now)
    make_event(title="Started an hour ago", start=now - timedelta(hours=1), end=now + timedelta(hours=1))
    make_event(title="Starts in a second", start=now + timedelta(seconds=1))
    upcoming = list(EventPage.objects.upcoming(now).values_list("title", flat=True))
    past = list(EventPage.objects.past(now).values_list("title", flat=True))
    # Split on the end, not the start: an event that began days ago is upcoming until it ends.
    assert upcoming == ["Ends now", "Started an hour ago", "Starts in a second"]
    assert past == ["Ended a second ago"]


def test_ended_yesterday_is_only_past_and_in_progress_is_upcoming(client, make_event):
    now = timezone.now()
    make_event(title="Ended yesterday", start=now - timedelta(days=1, hours=3), end=now - timedelta(days=1))
    make_event(title="In progress", start=now - timedelta(hours=1), end=now + timedelta(hours=1))
    make_event(title="Next week", start=now + timedelta(days=7))
    upcoming = titles(client.get("/en/events/"))
    past = titles(client.get("/en/events/past/"))
    assert upcoming == ["In progress", "Next week"]
    assert past == ["Ended yesterday"]
    assert list(EventPage.objects.upcoming(now).values_list("title", flat=True)) == ["In progress", "Next week"]
    assert list(EventPage.objects.past(now).values_list("title", flat=True)) == ["Ended yesterday"]


def test_ordering_is_by_start_in_utc_whatever_the_zones(client, make_event):
    year = timezone.now().year + 1
    # 10:00 in Singapore is 02:00 UTC; 09:00 in Madrid is 08:00 UTC; 07:00 in New York is 12:00 UTC.
    make_event(title="New York 07:00", timezone="America/New_York", start=local("America/New_York", year, 1, 20, 7))
    make_event(title="Madrid 09:00", timezone="Europe/Madrid", start=local("Europe/Madrid", year, 1, 20, 9))
    make_event(title="Singapore 10:00", timezone="Asia/Singapore", start=local("Asia/Singapore", year, 1, 20, 10))
    assert titles(client.get("/en/events/")) == ["Singapore 10:00", "Madrid 09:00", "New York 07:00"]
    # Past listing: newest first, by the same UTC instants.
    for event in EventPage.objects.all():
        event.start = event.start.replace(year=year - 3)
        event.end = event.end.replace(year=year - 3)
        event.save()
    assert titles(client.get("/en/events/past/")) == ["New York 07:00", "Madrid 09:00", "Singapore 10:00"]


def test_filters_by_format_and_topic(client, make_event):
    now = timezone.now()
    online = make_event(
        title="Webinar", event_format="online", online_url="https://meet.example.org/x", start=now + timedelta(days=2)
    )
    make_event(title="Workshop", start=now + timedelta(days=3))
    topic = Topic.objects.create(name="Smart lighting", slug="smart-lighting")
    online.tags.add(topic)
    online.save()
    assert titles(client.get("/en/events/?format=online")) == ["Webinar"]
    assert titles(client.get("/en/events/?format=in-person")) == ["Workshop"]
    assert titles(client.get("/en/events/?tag=smart-lighting")) == ["Webinar"]
    assert titles(client.get("/en/events/?tag=nothing")) == []


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=-1", "?page=0", "?page=99999", "?format=bogus", "?tag=%00", "?page=1.5&format="]
)
@pytest.mark.parametrize("listing", ["", "past/"])
def test_bad_listing_input_gives_a_sensible_page(client, make_event, query, listing):
    now = timezone.now()
    for day in range(15):
        make_event(start=now + timedelta(days=day + 1))
        make_event(start=now - timedelta(days=day + 1))
    response = client.get(f"/en/events/{listing}{query}")
    assert response.status_code == 200
    assert soup(response).h1


# --- Event page -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_ten_oclock_in_madrid_shows_ten_oclock_in_every_locale(client, make_event, code):
    year = timezone.now().year + 1
    winter = make_event(title="Winter", slug="winter", start=local("Europe/Madrid", year, 1, 15, 10))
    summer = make_event(title="Summer", slug="summer", start=local("Europe/Madrid", year, 7, 15, 10))
    translate_page(winter)
    translate_page(summer)
    for event, offset in ((winter, "UTC+01:00"), (summer, "UTC+02:00")):
        response = client.get(f"/{code}/events/{event.slug}/")
        assert response.status_code == 200
        html = soup(response)
        assert html.html["lang"] == code
        assert len(html.find_all("h1")) == 1
        when = html.select_one(".event-facts .event-when").get_text(" ", strip=True)
        assert "10:00" in when and "12:00" in when
        city = "مدريد" if code == "ar" else "Madrid"
        assert city in when and offset in when  # the zone as its city in the language, with the offset
        first = html.select_one(".event-facts time")
        assert datetime.fromisoformat(first["datetime"]) == event.start
    # The calendar file has it at 09:00 UTC in winter and 08:00 UTC in summer.
    for event, hour in ((winter, 9), (summer, 8)):
        entry = next(iter(vevents(parse_ics(client.get(f"/{code}/events/{event.slug}/event.ics"))).values()))
        assert entry["dtstart"].dt.astimezone(UTC).hour == hour
        assert entry["dtstart"].params["TZID"] == "Europe/Madrid"


def test_event_page_shows_dates_in_the_locale_format(client, make_event):
    event = make_event(slug="dated", start=local("Europe/Madrid", 2031, 3, 4, 10))
    translate_page(event)
    assert "March 4, 2031" in client.get("/en/events/dated/").content.decode()
    assert "4 de marzo de 2031" in client.get("/es/events/dated/").content.decode()
    assert "4 mars 2031" in client.get("/fr/events/dated/").content.decode()


@pytest.mark.parametrize("code", LANGUAGES)
def test_index_renders_in_every_locale(client, make_event, code):
    make_event(title="Soon", start=timezone.now() + timedelta(days=1))
    response = client.get(f"/{code}/events/")
    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == code and len(html.find_all("h1")) == 1
    assert html.select_one(f'a[href="/{code}/events/calendar.ics"]')
    assert client.get(f"/{code}/events/past/").status_code == 200


def test_status_format_registration_people_and_organisers(client, home, make_event):
    partners = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=partners, title="Madrid City Council")
    speaker = PersonFactory(name="Ana Ruiz", role="Researcher", locale=home.locale)
    now = timezone.now()
    event = make_event(
        slug="hybrid",
        title="Hybrid <b>summit</b>",
        status=EventStatus.CANCELLED,
        event_format="hybrid",
        online_url="https://meet.example.org/summit",
        registration_url="https://tickets.example.org/summit",
        registration_deadline=now - timedelta(days=1),
        start=now + timedelta(days=10),
    )
    event.speakers.create(person=speaker)
    event.organisers.create(partner=partner)
    event.save()
    response = client.get("/en/events/hybrid/")
    html = soup(response)
    assert "cancelled" in html.select_one(".event-status-banner").get_text()
    assert html.select_one(".event-status--cancelled").get_text(strip=True) == "Cancelled"
    assert html.select_one(".registration-closed")
    assert "Ana Ruiz" in html.get_text() and "Madrid City Council" in html.get_text()
    assert html.select_one('a[href="https://meet.example.org/summit"]')
    assert html.select_one('a[href="/en/events/hybrid/event.ics"]').get_text(strip=True) == "Add to calendar"
    event.registration_deadline = now + timedelta(days=1)
    event.status = EventStatus.SCHEDULED
    event.save()
    html = soup(client.get("/en/events/hybrid/"))
    assert html.select_one('a.button[href="https://tickets.example.org/summit"]')
    assert not html.select_one(".event-status-banner")


def test_speakers_show_the_visitors_language(client, home, locales, make_event):
    speaker = PersonFactory(name="Ana Ruiz", role="Researcher", locale=home.locale)
    spanish = speaker.copy_for_translation(locales["es"])
    spanish.role = "Investigadora"
    spanish.save()
    event = make_event(slug="people")
    event.speakers.create(person=speaker)
    event.save()
    translate_page(event, ["es"])
    assert "Researcher" in client.get("/en/events/people/").content.decode()
    assert "Investigadora" in client.get("/es/events/people/").content.decode()


def test_json_ld_describes_the_event_and_cannot_break_out(client, make_event):
    now = timezone.now()
    event = make_event(
        slug="ld",
        title="</script><script>alert(1)</script>",
        status=EventStatus.POSTPONED,
        event_format="online",
        venue_name="",
        online_url="https://meet.example.org/ld",
        registration_url="https://tickets.example.org/ld",
        start=now + timedelta(days=3),
    )
    event.speakers.create(person=PersonFactory(name="Sam Lee", locale=event.locale))
    event.save()
    response = client.get("/en/events/ld/")
    body = response.content.decode()
    assert "</script><script>alert(1)" not in body
    scripts = soup(response).select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@type"] == "Event" and data["name"] == event.title
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/ld"}
    assert data["performer"] == [{"@type": "Person", "name": "Sam Lee"}]
    assert data["offers"]["url"] == "https://tickets.example.org/ld"
    assert datetime.fromisoformat(data["startDate"]) == event.start
    assert not soup(response).select("script:not([src]):not([type='application/ld+json'])")


# --- Calendars ------------------------------------------------------------------------------


def test_every_calendar_parses_and_keeps_the_stored_instants(client, make_event):
    now = timezone.now().replace(microsecond=0)
    zones = ["Europe/Madrid", "Asia/Qatar", "America/New_York", "Asia/Singapore", "UTC"]
    events = [
        make_event(slug=f"zone-{i}", timezone=zone, start=now + timedelta(days=i * 40, hours=i))
        for i, zone in enumerate(zones)
    ]
    old = make_event(slug="long-ago", start=now - timedelta(days=200))
    recent = make_event(slug="recent", start=now - timedelta(days=30))
    cancelled = make_event(slug="cancelled", status=EventStatus.CANCELLED, start=now + timedelta(days=5))
    for event in [*events, recent, cancelled]:
        translate_page(event, ["es"])
    translate_page(old, ["es"])
    feeds = {code: parse_ics(client.get(f"/{code}/events/calendar.ics")) for code in ("en", "es")}
    for code, calendar in feeds.items():
        assert calendar["version"] == "2.0" and calendar["prodid"]
        entries = vevents(calendar)
        assert old.ical_uid not in entries  # older than 90 days
        assert recent.ical_uid in entries
        zone_ids = {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
        for event in [*events, recent, cancelled]:
            entry = entries[event.ical_uid]
            assert entry["dtstart"].dt.astimezone(UTC) == event.start
            assert entry["dtend"].dt.astimezone(UTC) == event.end
            tzid = entry["dtstart"].params.get("TZID")
            if event.timezone != "UTC":
                assert tzid == event.timezone and tzid in zone_ids
            for key in ("dtstamp", "summary", "url", "status", "sequence", "location"):
                assert key in entry
            assert entry["url"].startswith(f"http://testserver/{code}/events/")
        assert str(entries[cancelled.ical_uid]["status"]) == "CANCELLED"
        assert str(entries[events[0].ical_uid]["status"]) == "CONFIRMED"
    # Same UID in English and Spanish, translated summaries in Spanish.
    assert set(vevents(feeds["en"])) == set(vevents(feeds["es"]))
    assert str(vevents(feeds["es"])[recent.ical_uid]["summary"]).endswith("(es)")
    for event in events:
        single = {
            code: vevents(parse_ics(client.get(f"/{code}/events/{event.slug}/event.ics"))) for code in ("en", "es")
        }
        assert list(single["en"]) == list(single["es"]) == [event.ical_uid]


def test_the_calendar_is_a_window_and_does_not_grow_with_events_outside_it(client, make_event):
    now = timezone.now().replace(microsecond=0)
    make_event(slug="soon", start=now + timedelta(days=10), timezone="Europe/Madrid")
    far = make_event(slug="far-ahead", start=now + timedelta(days=400), timezone="Europe/Madrid")
    before = client.get("/en/events/calendar.ics")
    for n in range(12):
        make_event(slug=f"old-{n}", start=now - timedelta(days=100 + 30 * n), timezone="Asia/Qatar")
    after = client.get("/en/events/calendar.ics")
    assert len(after.content) == len(before.content)
    assert far.ical_uid not in vevents(parse_ics(before))
    assert list(vevents(parse_ics(client.get("/en/events/far-ahead/event.ics")))) == [far.ical_uid]
    assert list(vevents(parse_ics(client.get("/en/events/old-11/event.ics"))))


def test_time_zone_definitions_are_built_once_per_process(client, make_event, monkeypatch):
    vtimezone.cache_clear()
    built = []
    original = Timezone.from_tzid
    monkeypatch.setattr(Timezone, "from_tzid", lambda *args, **kwargs: built.append(args) or original(*args, **kwargs))
    make_event(slug="tz", start=timezone.now() + timedelta(days=3), timezone="America/New_York")
    first = parse_ics(client.get("/en/events/calendar.ics"))
    second = parse_ics(client.get("/en/events/calendar.ics"))
    assert len(built) == 1
    assert [str(tz["tzid"]) for tz in first.walk("VTIMEZONE")] == ["America/New_York"]
    assert second.walk("VTIMEZONE")[0].to_ical() == first.walk("VTIMEZONE")[0].to_ical()


def test_uid_is_stable_and_sequence_rises_with_each_publication(client, make_event):
    event = make_event(slug="seq")
    uid = event.ical_uid
    sequences = []
    for title in ("First", "Second", "Third"):
        event.title = title
        event.save_revision().publish()
        entry = vevents(parse_ics(client.get("/en/events/seq/event.ics")))[uid]
        sequences.append(int(entry["sequence"]))
        assert str(entry["summary"]) == title
    assert sequences == sorted(sequences) and len(set(sequences)) == 3


def test_unknown_unpublished_and_private_calendars_are_404(client, make_event):
    assert client.get("/en/events/nope/event.ics").status_code == 404
    assert client.get("/en/events/nope/").status_code == 404
    assert client.get("/en/events/calendar.ics/").status_code in (404, 301)
    draft = make_event(slug="draft", title="Secret draft")
    draft.unpublish()
    assert client.get("/en/events/draft/event.ics").status_code == 404
    assert "Secret draft" not in client.get("/en/events/calendar.ics").content.decode()
    private = make_event(slug="private", title="Secret meeting")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert client.get("/en/events/private/event.ics").status_code == 404
    assert client.get("/en/events/private/").status_code == 302  # the login page, as for any private page
    assert "Secret meeting" not in client.get("/en/events/calendar.ics").content.decode()
    assert "Secret meeting" not in client.get("/en/events/").content.decode()


# --- Admin form -----------------------------------------------------------------------------


def add_event(admin_client, events_index, **overrides):
    url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", events_index.pk))
    return admin_client.post(url, event_form(**overrides))


def form_errors(response):
    return " ".join(response.context["form"].errors.as_text().split())


def test_admin_creates_an_event_from_local_time(admin_client, events_index):
    response = add_event(admin_client, events_index)
    assert response.status_code == 302, form_errors(response)
    event = EventPage.objects.get(slug="workshop", locale=events_index.locale)
    assert event.start == datetime(2031, 1, 15, 9, tzinfo=UTC)
    assert event.end == datetime(2031, 1, 15, 11, tzinfo=UTC)
    assert event.live and event.sequence == 1
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(event.pk,)))
    assert edit.context["form"].initial["start_local"] == datetime(2031, 1, 15, 10)


def test_admin_refuses_a_time_in_the_spring_forward_gap(admin_client, events_index):
    # The last Sunday of March 2026 is the 29th: clocks in Madrid jump from 02:00 to 03:00.
    response = add_event(admin_client, events_index, start_local="2026-03-29 02:30", end_local="2026-03-29 05:00")
    assert response.status_code == 200
    errors = form_errors(response)
    assert "02:30 does not exist in Europe/Madrid" in errors and "clocks go forward" in errors
    assert not EventPage.objects.filter(slug="workshop").exists()


def test_admin_refuses_an_ambiguous_time_when_clocks_go_back(admin_client, events_index):
    response = add_event(admin_client, events_index, start_local="2026-10-25 02:30", end_local="2026-10-25 05:00")
    assert response.status_code == 200
    assert "02:30 happens twice in Europe/Madrid" in form_errors(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_local": "2031-01-15 09:00"}, "must end after it starts"),
        ({"event_format": "online", "online_url": ""}, "needs an online link"),
        ({"event_format": "hybrid", "online_url": "https://meet.example.org/x", "venue_name": ""}, "needs a venue"),
        ({"event_format": "in-person", "venue_name": ""}, "needs a venue"),
        (
            {"registration_url": "https://t.example.org/", "registration_deadline_local": "2031-01-16 10:00"},
            "deadline must not be after the end",
        ),
        ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
        ({"start_local": "not a date"}, "Enter a valid date/time"),
    ],
)
def test_admin_form_validation(admin_client, events_index, overrides, message):
    response = add_event(admin_client, events_index, **overrides)
    assert response.status_code == 200
    assert message in form_errors(response)


# --- Query counts ---------------------------------------------------------------------------


class Programme:
    """Events two hours long, half past and half upcoming, in several zones, tagged; the first three with people."""

    ZONES = ["Europe/Madrid", "Asia/Qatar", "America/New_York", "Asia/Singapore", "UTC"]

    def __init__(self, home, events_index):
        self.index = events_index
        self.now = timezone.now()
        self.partner = PartnerPageFactory(parent=PartnerIndexPageFactory(parent=home))
        self.people = [PersonFactory(locale=home.locale) for _ in range(3)]
        self.topic = Topic.objects.create(name="Lighting", slug="lighting")
        self.events = []

    def grow(self, size):
        """Add events until there are ``size`` (tags in bulk, one save per event with people)."""
        added = []
        for i in range(len(self.events), size):
            offset = timedelta(days=(i // 2) * (1 if i % 2 else -1) * 0.1 + (1 if i % 2 else -1))
            event = EventPageFactory(parent=self.index, timezone=self.ZONES[i % 5], start=self.now + offset)
            if i < 3:
                event.speakers.create(person=self.people[i])
                event.organisers.create(partner=self.partner)
                if i == 1:
                    event.agenda = [
                        ("session", {"start_time": "10:00", "title": "Opening", "speaker_names": "", "people": []})
                    ]
                event.save()
            added.append(event)
        EventPageTag.objects.bulk_create(EventPageTag(content_object=event, tag=self.topic) for event in added)
        self.events += added


@pytest.mark.parametrize(
    ("small", "large"), [pytest.param(30, 60, id="30-60"), pytest.param(30, 500, id="30-500", marks=pytest.mark.slow)]
)
def test_query_counts_do_not_grow(client, events_index, home, small, large):
    programme = Programme(home, events_index)
    programme.grow(small)
    detail = programme.events[1]  # upcoming, with a speaker, an organiser and an agenda
    filtered = "/en/events/?format=in-person&tag=lighting&page=2"  # a filtered page after the first
    caps = {  # measured
        "/en/events/": 18,
        "/en/events/past/": 18,
        filtered: 18,
        detail.url: 19,  # +1: whether the event takes registrations (the registrations app's page section)
        "/en/events/calendar.ics": 13,
        f"{detail.url}event.ics": 13,
    }
    before = query_counts(client, caps)
    programme.grow(large)
    after = query_counts(client, caps)
    assert after == before
    for url, cap in caps.items():
        assert before[url] <= cap, (url, before[url])
    assert len(titles(client.get(filtered))) == 12
    calendar = Calendar.from_ical(client.get("/en/events/calendar.ics").content)
    assert len(calendar.walk("VEVENT")) == len(EventPage.objects.for_calendar())


def test_home_page_menu_links_to_events(client, events_index):
    html = soup(client.get("/en/"))
    assert html.select_one('.main-nav a[href="/en/events/"]')
    assert HomePage.objects.count() == 4


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("en", "Add to calendar"),
        ("es", "Añadir al calendario"),
        ("fr", "Ajouter au calendrier"),
        ("ar", "أضف إلى التقويم"),
    ],
)
def test_interface_strings_are_translated(client, make_event, code, label):
    event = make_event(slug="strings")
    translate_page(event)
    html = soup(client.get(f"/{code}/events/strings/"))
    assert html.select_one(f'a[href="/{code}/events/strings/event.ics"]').get_text(strip=True) == label
