"""The events demo content: enough variety to show every feature, and translated."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from django.utils import timezone

from events.models import EventIndexPage, EventPage
from hub.demo import is_translated

pytestmark = pytest.mark.django_db


def test_demo_events(client, demo_content):
    events = EventPage.objects.filter(locale__language_code="en")
    now = timezone.now()
    assert events.count() >= 8
    assert {"Europe/Madrid", "Asia/Qatar", "America/New_York", "Asia/Singapore", "UTC"} <= set(
        events.values_list("timezone", flat=True)
    )
    assert set(events.values_list("event_format", flat=True)) == {"in-person", "online", "hybrid"}
    assert events.filter(status="cancelled").exists() and events.filter(status="postponed").exists()
    assert events.upcoming(now).exists() and events.past(now).exists()
    conference = events.get(slug="annual-conference")
    assert conference.is_multi_day and len(conference.agenda) >= 3
    translated = [event for event in events if is_translated(event, "es")]
    assert len(translated) >= 3
    for event in translated:
        assert all(is_translated(event, code) for code in ("fr", "ar"))
    index = EventIndexPage.objects.get(locale__language_code="en")
    assert index.show_in_menus and all(is_translated(index, code) for code in ("es", "fr", "ar"))
    for code in ("en", "es", "fr", "ar"):
        assert client.get(f"/{code}/events/").status_code == 200
        assert client.get(f"/{code}/events/past/").status_code == 200
        assert client.get(f"/{code}/events/annual-conference/").status_code == 200
        calendar = Calendar.from_ical(client.get(f"/{code}/events/calendar.ics").content)
        assert len(calendar.walk("VEVENT")) >= 8
    assert "Conferencia anual" in client.get("/es/events/annual-conference/").content.decode()
    assert "المؤتمر السنوي" in client.get("/ar/events/").content.decode()
    assert conference.end - conference.start > timedelta(days=1)
