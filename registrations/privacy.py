"""Requests from data subjects: everything stored about an address, and erasing it."""

from django.db import transaction
from django.utils import timezone

from . import seats
from .choices import HOLDING, AccessNeed
from .models import Registration


def export_address(email):
    """Every registration of ``email`` as plain data (for a subject access request)."""
    labels = dict(AccessNeed.choices)
    return [
        {
            "event": registration.event.title,
            "event_url": registration.event.full_url,
            "status": registration.status,
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation,
            "language": registration.language,
            "answers": registration.answers,
            "accessibility_needs": [str(labels.get(code, code)) for code in registration.access_needs],
            "accessibility_notes": registration.access_notes,
            "listed_publicly": registration.list_publicly,
            "consent": registration.consent_text,
            "consent_version": registration.consent_version,
            "registered_at": registration.created_at.isoformat(),
            "checked_in_at": registration.checked_in_at.isoformat() if registration.checked_in_at else None,
        }
        for registration in Registration.objects.for_address(email).select_related("event")
    ]


def erase_address(email):
    """Delete every registration of ``email``. Returns how many.

    A place it held at an event still to come goes to the waiting list. Queued mail holds only a
    registration's id (``registrations.mail``), so mail still waiting for an erased registration
    is written for nobody and not sent.
    """
    email = email.strip()
    erased = 0
    now = timezone.now()
    for registration in Registration.objects.for_address(email).select_related("event"):
        event, freed = registration.event, registration.status in HOLDING and registration.event.end > now
        with transaction.atomic():
            registration.delete()
            erased += 1
            if freed:
                seats.promote_waiting(event)
    return erased
