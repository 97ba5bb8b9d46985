"""iCalendar files (RFC 5545) and schema.org JSON-LD for events.

Works on EventPage instances through their attributes only, so ``models`` can import it.
"""

import json
from datetime import date
from functools import lru_cache

from icalendar import Calendar, Event, Timezone

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from hub.labels import topic_labels

from .choices import EventFormat, EventStatus

PRODID = "-//Securing Smart Cities//Events hub//EN"
ICAL_STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}
SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
}
SCHEMA_ATTENDANCE = {
    EventFormat.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    EventFormat.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    EventFormat.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
# The characters that could end a <script> element or start an HTML entity, escaped as JSON allows.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def build_calendar(events, request, name, method="PUBLISH"):
    """An icalendar Calendar of ``events``, with one VTIMEZONE for each zone they use.

    ``method`` is the iTIP method (RFC 5546): PUBLISH for calendars and confirmations; other apps
    (registrations' mails) add what CANCEL or REQUEST need to the entries themselves. Each text
    names its language: the calendar's, or the source language for an untranslated event (an
    alias); categories are the topics as labelled in the calendar's language.
    """
    labels = topic_labels(translation.get_language())
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().replace(microsecond=0)
    for event in events:
        language = settings.LANGUAGE_CODE if event.alias_of_id else translation.get_language()
        entry = Event()
        entry.add("uid", event.ical_uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.local_start)
        entry.add("dtend", event.local_end)
        entry.add("summary", event.title, parameters={"LANGUAGE": language})
        if event.summary:
            entry.add("description", event.summary, parameters={"LANGUAGE": language})
        location = event.location_text
        if location:
            entry.add("location", location, parameters={"LANGUAGE": language})
        topics = [labels.get(item.tag_id) or item.tag.name for item in event.tagged_items.all()]
        if topics:
            entry.add("categories", topics, parameters={"LANGUAGE": translation.get_language()})
        entry.add("url", event.get_full_url(request))
        entry.add("status", ICAL_STATUS.get(event.status, "CONFIRMED"))
        entry.add("sequence", event.sequence)
        if event.last_published_at:
            entry.add("last-modified", event.last_published_at.replace(microsecond=0))
        calendar.add_component(entry)
    if events:
        first_year = min(event.start for event in events).year - 1
        last_year = max(event.end for event in events).year
        # VTIMEZONEs first, as RFC 5545 asks; from the process's cache (see ``vtimezone``).
        for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
            component = vtimezone(tzid, first_year, last_year)
            if component is not None:
                calendar.subcomponents.insert(position, component)
    return calendar


@lru_cache(maxsize=512)
def vtimezone(tzid, first_year, last_year):
    """The VTIMEZONE of ``tzid`` covering ``first_year`` to ``last_year``, or None for an unknown zone.

    Building one walks the zone's offsets hour by hour (icalendar probes ``utcoffset`` tens of
    thousands of times): most of a calendar's cost before it was cached. Zone rules do not change
    while a process runs, calendars are bounded to a window of a few years, and the component is
    only read when the calendar is serialised, so one copy per zone and range serves every request.
    """
    try:
        return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31))
    except ValueError:
        return None


def calendar_response(request, events, filename):
    """Serve ``events`` as ``text/calendar; charset=utf-8``."""
    calendar = build_calendar(events, request, _("Securing Smart Cities events"))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_json_ld(event, request):
    """schema.org ``Event`` as JSON safe to place inside ``<script type="application/ld+json">``."""
    locations = []
    if event.has_venue:
        locations.append(
            {
                "@type": "Place",
                "name": event.venue_name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.address,
                    "addressLocality": event.city,
                    "addressCountry": event.country,
                },
            }
        )
    if event.has_online and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "url": event.get_full_url(request),
        "inLanguage": translation.get_language(),
        "startDate": event.local_start.isoformat(),
        "endDate": event.local_end.isoformat(),
        "eventStatus": SCHEMA_STATUS.get(event.status, SCHEMA_STATUS[EventStatus.SCHEDULED]),
        "eventAttendanceMode": SCHEMA_ATTENDANCE.get(event.event_format, SCHEMA_ATTENDANCE[EventFormat.IN_PERSON]),
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": [
            {"@type": "Organization", "name": partner.title, "url": partner.get_full_url(request)}
            for partner in event.organiser_pages
        ],
        "performer": [{"@type": "Person", "name": person.name} for person in event.speaker_people],
    }
    if event.registration_url:
        data["offers"] = {"@type": "Offer", "url": event.registration_url}
        if event.registration_deadline:
            data["offers"]["validThrough"] = event.local_registration_deadline.isoformat()
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above, data not markup
