"""Periodic jobs: reminders, lapsed offers, and the retention rules for personal data.

Each job is safe to run twice, or in two processes at once: a reminder is claimed by a
conditional UPDATE before its mail is queued, so every registration gets exactly one.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.choices import EventStatus
from hub.periodic import register_periodic_job

from . import mail, seats
from .choices import RegistrationStatus
from .forms import retention_days
from .models import Registration, RegistrationSettings

MAX_REMINDER_DAYS = 30


def send_reminders(now=None):
    """Queue the reminder of every confirmed registration whose event starts within its reminder window.

    Returns how many were queued.
    """
    now = now or timezone.now()
    days = dict(
        RegistrationSettings.objects.filter(
            reminder_days__gt=0,
            page__start__gt=now,
            page__start__lte=now + timedelta(days=MAX_REMINDER_DAYS),
        )
        .exclude(page__status=EventStatus.CANCELLED)
        .values_list("page_id", "reminder_days")
    )
    due = Registration.objects.filter(
        event_id__in=days, status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True, anonymised_at__isnull=True
    ).select_related("event")
    sent = 0
    for registration in due:
        if registration.event.start - timedelta(days=days[registration.event_id]) > now:
            continue
        with transaction.atomic():
            # Claim it: only one run (or process) changes the row, and only that one sends.
            claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                mail.notify(registration, mail.REMINDER)
                sent += 1
    return sent


def expire_offers(now=None):
    """Offers of a freed place not accepted in time go to the next person."""
    return seats.expire_offers(now)


def apply_retention(now=None):
    """Delete accessibility answers after the event, and anonymise registrations later (settings:
    ``HUB_REGISTRATION_RETENTION``). Returns ``(answers cleared, registrations anonymised)``."""
    now = now or timezone.now()
    access_days, anonymise_days = retention_days()
    cleared = (
        Registration.objects.filter(event__end__lt=now - timedelta(days=access_days))
        .filter(~Q(access_needs=[]) | ~Q(access_notes=""))
        .update(access_needs=[], access_notes="", updated_at=now)
    )
    anonymised = 0
    for registration in Registration.objects.filter(
        event__end__lt=now - timedelta(days=anonymise_days), anonymised_at__isnull=True
    ):
        anonymise(registration, now)
        anonymised += 1
    return cleared, anonymised


def anonymise(registration, now=None):
    """Keep the row for the event's numbers, with nothing that identifies the person; old links stop working."""
    registration.name = ""
    registration.email = ""
    registration.organisation = ""
    registration.answers = []
    registration.access_needs = []
    registration.access_notes = ""
    registration.list_publicly = False
    registration.key = Registration._meta.get_field("key").get_default()
    registration.anonymised_at = now or timezone.now()
    registration.save()


# --- The scheduler's entry points (hub.periodic: no argument, a short text for the log) --------


def reminders_job():
    return f"{send_reminders()} reminder(s) queued"


def offers_job():
    return f"{expire_offers()} offer(s) lapsed"


def retention_job():
    cleared, anonymised = apply_retention()
    return f"accessibility answers cleared from {cleared}, {anonymised} registration(s) anonymised"


def register_jobs():
    """Called from ``RegistrationsConfig.ready()``."""
    register_periodic_job("registrations_reminders", timedelta(minutes=15), reminders_job)
    register_periodic_job("registrations_offers", timedelta(minutes=5), offers_job)
    register_periodic_job("registrations_retention", timedelta(days=1), retention_job)
