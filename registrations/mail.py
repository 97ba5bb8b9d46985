"""Mail to registrants, in their language, through the task queue (queued after commit).

Each mail names the event as the registrant reads it (its translation in their language when
there is one), its local time with the UTC offset, and the signed link to their registration;
confirmations, reminders and updates carry the event's calendar entry (``registrations.ics``).

The task's arguments are the registration's id and the kind of mail (``hub.tasks``: ids and plain
values, no secrets): the message, with its signed link, is written in the worker when it runs,
from the registration as it is then; an erased registration gets nothing. Failed sends are
retried with backoff (``hub.tasks.retrying``).
"""

from django_tasks import task

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.models import EventPage
from hub.tasks import attachment, build_email, retrying
from hub.validators import one_line

from .choices import RegistrationStatus
from .ics import registration_calendar
from .links import manage_url
from .models import Registration

# Kinds of mail (the registration statuses name the first four).
CONFIRMED = RegistrationStatus.CONFIRMED.value
PENDING = RegistrationStatus.PENDING.value
WAITING = RegistrationStatus.WAITING.value
OFFERED = RegistrationStatus.OFFERED.value
PROMOTED = "promoted"
REFUSED = RegistrationStatus.REFUSED.value
CANCELLED = RegistrationStatus.CANCELLED.value
OFFER_EXPIRED = "offer-expired"
ALREADY = "already"
REMINDER = "reminder"
EVENT_UPDATED = "event-updated"
EVENT_CANCELLED = "event-cancelled"
MESSAGE = "message"

WITH_CALENDAR = {CONFIRMED, PROMOTED, REMINDER, EVENT_UPDATED}
WITH_CANCELLATION = {CANCELLED, EVENT_CANCELLED}
# Left-to-right isolates (U+2066 ... U+2069) keep times and offsets whole inside right-to-left text.
LRI, PDI = "\u2066", "\u2069"


def _texts(kind, registration, event):
    """``(subject, [paragraphs])`` of a mail of ``kind`` (in the active language)."""
    title = event.title
    position = ""
    if kind == WAITING:
        ahead = registration.event.registrations.waiting_in_order().filter(created_at__lt=registration.created_at).count()
        position = _("You are number %(position)s on the waiting list.") % {"position": ahead + 1}
    offer_until = ""
    if registration.offer_expires_at:
        offer_until = when_text(registration.offer_expires_at.astimezone(event.zone), event)
    texts = {
        CONFIRMED: (_("Your place is confirmed: %(title)s"), [_("Your registration is confirmed. We look forward to seeing you.")]),
        PROMOTED: (
            _("A place became free: %(title)s"),
            [_("A place became free and it is yours: your registration is now confirmed.")],
        ),
        PENDING: (
            _("Registration received: %(title)s"),
            [_("We have received your registration. The organisers approve each registration; we will write again.")],
        ),
        WAITING: (
            _("You are on the waiting list: %(title)s"),
            [_("The event is full, so you are on the waiting list. If a place becomes free, we will write to you."), position],
        ),
        OFFERED: (
            _("A place is free for you: %(title)s"),
            [
                _("A place became free. It is yours if you accept it by %(until)s, using the link below.")
                % {"until": offer_until}
            ],
        ),
        OFFER_EXPIRED: (
            _("Place offer expired: %(title)s"),
            [_("The place we offered you was not accepted in time and has gone to the next person.")],
        ),
        REFUSED: (
            _("Registration not accepted: %(title)s"),
            [_("We are sorry: the organisers could not accept your registration.")],
        ),
        CANCELLED: (
            _("Registration cancelled: %(title)s"),
            [_("Your registration is cancelled. The attached file removes the event from your calendar.")],
        ),
        ALREADY: (
            _("Your registration: %(title)s"),
            [_("Someone (probably you) tried to register this address again. You are already registered; nothing has changed.")],
        ),
        REMINDER: (_("Reminder: %(title)s"), [_("This is a reminder of the event you registered for.")]),
        EVENT_UPDATED: (
            _("Event changed: %(title)s"),
            [_("The event has changed. Please check the new details below; the attached file updates your calendar.")],
        ),
        EVENT_CANCELLED: (
            _("Event cancelled: %(title)s"),
            [_("We are sorry: the event has been cancelled. The attached file removes it from your calendar.")],
        ),
    }
    subject, paragraphs = texts[kind]
    return subject % {"title": title}, [paragraph for paragraph in paragraphs if paragraph]


def zone_name(event):
    """The event's time zone as a reader understands it: "Madrid time" for Europe/Madrid."""
    if event.timezone == "UTC":
        return "UTC"
    city = event.timezone.rsplit("/", 1)[-1].replace("_", " ")
    return pgettext("time zone", "%(city)s time") % {"city": city}


def when_text(moment, event):
    """A local moment with its date, time, zone and UTC offset, e.g. "15 January 2031, 10:00 (Madrid time, UTC+01:00)"."""
    offset = event.utc_offset_label(moment)
    return f"{formats.date_format(moment, 'DATE_FORMAT')}, {LRI}{moment:%H:%M}{PDI} ({zone_name(event)}, {LRI}{offset}{PDI})"


def event_when(event):
    """The event's start and end in its own zone, with weekday, zone and UTC offset, in the active language."""
    start, end = event.local_start, event.local_end
    weekday = formats.date_format(start, "l")
    if start.date() == end.date():
        times = f"{LRI}{start:%H:%M}–{end:%H:%M}{PDI}"
        offsets = event.utc_offset_label(start)
        text = f"{weekday} {formats.date_format(start, 'DATE_FORMAT')}, {times}"
    else:
        text = f"{weekday} {formats.date_format(start, 'DATE_FORMAT')}, {LRI}{start:%H:%M}{PDI} – " + (
            f"{formats.date_format(end, 'l')} {formats.date_format(end, 'DATE_FORMAT')}, {LRI}{end:%H:%M}{PDI}"
        )
        offsets = event.utc_offset_label(start)
        if event.utc_offset_label(end) != offsets:
            offsets += f" / {event.utc_offset_label(end)}"
    return f"{text} ({zone_name(event)}, {LRI}{offsets}{PDI})"


def event_in(language, event):
    """``event`` in ``language`` when it has a live translation there, else the event itself."""
    if event.locale.language_code == language:
        return event
    version = (
        EventPage.objects.live()
        .filter(translation_key=event.translation_key, locale__language_code=language, alias_of__isnull=True)
        .first()
    )
    return version or event


def compose(registration, kind, *, subject="", body=""):
    """The mail as plain values: ``{subject, text, html, to, attachments}``."""
    # Read through the registration's own event row: it may have changed since the caller looked.
    source = EventPage.objects.select_related("locale").get(pk=registration.event_id)
    language = registration.language if registration.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        event = event_in(language, source)
        if kind == MESSAGE:
            paragraphs = [paragraph for paragraph in body.split("\n\n") if paragraph.strip()]
            subject = f"{subject} ({event.title})"
        else:
            subject, paragraphs = _texts(kind, registration, event)
        reg_settings = (
            event.registration_settings.first() or source.registration_settings.first()
        )
        confirmed = registration.status == RegistrationStatus.CONFIRMED and kind not in WITH_CANCELLATION
        context = {
            "language": language,
            "bidi": translation.get_language_bidi(),
            "registration": registration,
            "event": event,
            "subject": subject,
            "paragraphs": paragraphs,
            "when": event_when(event),
            "where": event.location_text if event.has_venue else "",
            "meeting_url": reg_settings.meeting_url if (confirmed and reg_settings) else "",
            "confirmation_text": reg_settings.confirmation_text if (confirmed and reg_settings and kind in (CONFIRMED, PROMOTED)) else "",
            "manage_url": manage_url(registration, language) if registration.anonymised_at is None else "",
            "event_url": event.get_full_url(),
            "status": registration.get_status_display(),
        }
        text = render_to_string("registrations/mail/message.txt", context)
        html = render_to_string("registrations/mail/message.html", context)
        attachments = []
        if kind in WITH_CALENDAR and confirmed:
            attachments.append(("event.ics", registration_calendar(event, registration), "text/calendar; method=PUBLISH"))
        elif kind in WITH_CANCELLATION:
            attachments.append(
                ("event.ics", registration_calendar(event, registration, cancel=True), "text/calendar; method=CANCEL")
            )
    return {
        "subject": one_line(subject),
        "text": text,
        "html": html,
        "to": [registration.email],
        "attachments": [attachment(name, content, mime) for name, content, mime in attachments],
    }


@task()
@retrying(attempts=5, on=(OSError,))  # smtplib.SMTPException and socket timeouts are OSErrors
def send_registration_mail(registration_id, kind, subject="", body=""):
    """Write and send one mail of ``kind`` to a registration (nothing when it no longer exists)."""
    registration = Registration.objects.filter(pk=registration_id).select_related("event").first()
    if registration is None or not registration.email:
        return 0
    message = compose(registration, kind, subject=subject, body=body)
    email = build_email(
        message["to"], message["subject"], message["text"], html=message["html"], attachments=message["attachments"]
    )
    return email.send(fail_silently=False)


def notify(registration, kind, **extra):
    """Queue ``kind`` of mail to ``registration`` once the current transaction commits."""
    pk = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(registration_id=pk, kind=kind, **extra))
