"""The members-only meeting calendar of a working group (iCalendar, RFC 5545)."""

from datetime import timedelta

from icalendar import Calendar, Event

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

PRODID = "-//Securing Smart Cities//Working groups//EN"
UID_DOMAIN = "securingsmartcities.org"
PAST_DAYS = 180


def meetings_calendar(name, meetings, request):
    """An icalendar Calendar of ``meetings`` (each with its time zone's VTIMEZONE)."""
    language = translation.get_language()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().replace(microsecond=0)
    for meeting in meetings:
        entry = Event()
        entry.add("uid", f"{meeting.translation_key}@{UID_DOMAIN}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", meeting.start)
        entry.add("dtend", meeting.end)
        entry.add("summary", meeting.title, parameters={"LANGUAGE": language})
        if meeting.location:
            entry.add("location", meeting.location, parameters={"LANGUAGE": language})
        entry.add("url", meeting.get_full_url(request))
        entry.add("class", "CONFIDENTIAL")
        entry.add("sequence", meeting.sequence)
        calendar.add_component(entry)
    if meetings:
        first = min(meeting.date for meeting in meetings).replace(month=1, day=1)
        last = max(meeting.date for meeting in meetings).replace(month=12, day=31)
        calendar.add_missing_timezones(first_date=first.replace(year=first.year - 1), last_date=last)
    return calendar


def calendar_response(name, meetings, request):
    """The calendar as ``text/calendar``, private and never stored by any cache."""
    body = meetings_calendar(name, meetings, request).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def calendar_window(now=None):
    """Meetings in a calendar: upcoming ones and those of the last 180 days."""
    return (now or timezone.now()).date() - timedelta(days=PAST_DAYS)
