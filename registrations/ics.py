"""The calendar file attached to registration mails: the event's own calendar entry (same UID, same
instant as the public calendar), as METHOD:PUBLISH, or METHOD:CANCEL with organiser and attendee
when the registration or the event is cancelled."""

from icalendar import vCalAddress

from django.conf import settings
from django.utils.translation import gettext as _

from events.calendar import build_calendar


def registration_calendar(event, registration, cancel=False):
    """``bytes`` of an iCalendar file for ``event`` (in the registrant's language) and ``registration``."""
    calendar = build_calendar([event], None, _("Securing Smart Cities events"), method="CANCEL" if cancel else "PUBLISH")
    if cancel:
        for entry in calendar.walk("VEVENT"):
            entry.pop("status", None)
            entry.add("status", "CANCELLED")
            # A cancellation must carry a sequence above the last one sent (RFC 5546, 3.2.5).
            entry.pop("sequence", None)
            entry.add("sequence", event.sequence + 1)
            organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
            organizer.params["cn"] = _("Securing Smart Cities")
            entry.add("organizer", organizer)
            attendee = vCalAddress(f"mailto:{registration.email}")
            attendee.params["cn"] = registration.name
            entry.add("attendee", attendee)
    return calendar.to_ical()
