"""Seats: who gets one, exactly, however many people register at the same moment.

Every change that takes or frees a seat runs in a transaction that first locks the event's
registration settings row (``SELECT ... FOR UPDATE`` on PostgreSQL), so counting the seats held
and writing the new registration happen one event at a time. A partial unique index (one active
registration per address and event) catches the same address sent twice at once.
Mail goes out after commit (``registrations.mail``), so nobody is told about a seat that was
rolled back.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.choices import EventStatus

from . import mail
from .choices import HOLDING, RegistrationStatus
from .models import Registration, RegistrationSettings

STATUS_CACHE_SECONDS = 5


class Result:
    """What happened to a registration attempt (shown on screen)."""

    CREATED = "created"
    ALREADY = "already"
    FULL = "full"
    CLOSED = "closed"


@dataclass
class Availability:
    """Whether an event takes registrations now, and how many seats are left (None: no limit)."""

    state: str  # "open", "waiting-list", "full", "not-yet", "closed", "cancelled", "none"
    seats_left: int | None = None
    capacity: int | None = None

    @property
    def accepting(self):
        return self.state in ("open", "waiting-list")


def closes_at(event):
    """Registration closes at the event's registration deadline, or when it starts."""
    return event.registration_deadline or event.start


def availability(event, settings, now=None):
    """The registration state of ``event`` (its default-language page) at ``now``."""
    now = now or timezone.now()
    if settings is None:
        return Availability("none")
    if event.status == EventStatus.CANCELLED:
        return Availability("cancelled")
    if settings.opens_at and now < settings.opens_at:
        return Availability("not-yet", capacity=settings.capacity)
    if now >= closes_at(event):
        return Availability("closed", capacity=settings.capacity)
    if settings.capacity is None:
        return Availability("open")
    left = max(settings.capacity - Registration.objects.filter(event=event).holding().count(), 0)
    if left:
        return Availability("open", left, settings.capacity)
    return Availability("waiting-list" if settings.waiting_list else "full", 0, settings.capacity)


def status_cache_key(event):
    return f"registrations:status:{event.pk}"


def forget_status(event):
    """Drop the short-lived cached status of ``event`` (the public seats count), after commit."""
    transaction.on_commit(lambda: cache.delete(status_cache_key(event)))


def _lock(event):
    """Lock the event's settings row for the rest of the transaction; return it fresh (or None)."""
    return RegistrationSettings.objects.select_for_update().filter(page=event).order_by("pk").first()


def _new_seat_status(settings):
    return RegistrationStatus.PENDING if settings.requires_approval else RegistrationStatus.CONFIRMED


def register(event, fields, now=None):
    """Register someone for ``event`` (its default-language page). Returns ``(result, registration)``.

    ``fields`` are the Registration's own fields (name, email, language, answers, consent...).
    An address with an active registration changes nothing (``ALREADY``, with that registration).
    """
    now = now or timezone.now()
    email = fields["email"].strip().lower()
    with transaction.atomic():
        settings = _lock(event)
        state = availability(event, settings, now)
        existing = Registration.objects.filter(event=event).active().for_address(email).first()
        if existing is not None:
            return Result.ALREADY, existing
        if not state.accepting:
            return (Result.FULL if state.state == "full" else Result.CLOSED), None
        status = _new_seat_status(settings) if state.state == "open" else RegistrationStatus.WAITING
        try:
            with transaction.atomic():
                registration = Registration.objects.create(event=event, status=status, **{**fields, "email": email})
        except IntegrityError:
            # The same address, sent twice at the same moment: the other request won.
            return Result.ALREADY, Registration.objects.filter(event=event).active().for_address(email).first()
        mail.notify(registration, status)
        forget_status(event)
    return Result.CREATED, registration


def promote_waiting(event, now=None):
    """Give free seats to the waiting list, first come first served. Returns those promoted.

    With ``offer_hours`` the person is offered the seat and must accept in time; with approval
    they wait for the Board; otherwise they are confirmed at once. Each is told by mail.
    """
    now = now or timezone.now()
    promoted = []
    with transaction.atomic():
        settings = _lock(event)
        if settings is None or event.status == EventStatus.CANCELLED or now >= event.end:
            return promoted
        if settings.capacity is None:
            free = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).count()
        else:
            free = settings.capacity - Registration.objects.filter(event=event).holding().count()
        if free <= 0:
            return promoted
        for registration in Registration.objects.filter(event=event).waiting_in_order().select_for_update()[:free]:
            if settings.offer_hours:
                registration.status = RegistrationStatus.OFFERED
                registration.offer_expires_at = now + timedelta(hours=settings.offer_hours)
                kind = mail.OFFERED
            else:
                registration.status = _new_seat_status(settings)
                kind = mail.PROMOTED if registration.status == RegistrationStatus.CONFIRMED else registration.status
            registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
            mail.notify(registration, kind)
            promoted.append(registration)
        forget_status(event)
    return promoted


def _change(registration, status, *, kind=None, promote=True):
    """Move ``registration`` to ``status`` under the event's lock; mail it; free its seat for the next person.

    Returns False when it already had that status (nothing happens, nothing is sent).
    """
    event = registration.event
    with transaction.atomic():
        _lock(event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == status:
            registration.refresh_from_db()
            return False
        freed = current.status in HOLDING and status not in HOLDING
        current.status = status
        if status != RegistrationStatus.OFFERED:
            current.offer_expires_at = None
        current.save(update_fields=["status", "offer_expires_at", "updated_at"])
        if kind:
            mail.notify(current, kind)
        forget_status(event)
        if freed and promote:
            promote_waiting(event)
    registration.refresh_from_db()
    return True


def cancel(registration):
    """The registrant (or an organiser) cancels: the seat goes to the waiting list. Twice is harmless."""
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.REFUSED):
        return False
    return _change(registration, RegistrationStatus.CANCELLED, kind=mail.CANCELLED)


def approve(registration):
    """The Board approves a pending registration (or confirms anyone, even past the capacity)."""
    return _change(registration, RegistrationStatus.CONFIRMED, kind=mail.CONFIRMED)


def refuse(registration):
    """The Board refuses a registration; its seat goes to the waiting list."""
    return _change(registration, RegistrationStatus.REFUSED, kind=mail.REFUSED)


def move_to_waiting_list(registration):
    """An organiser puts someone back on the waiting list (behind everyone already on it)."""
    return _change(registration, RegistrationStatus.WAITING, kind=mail.WAITING, promote=False)


def accept_offer(registration, now=None):
    """The person offered a freed seat takes it, in time. Returns True when they now have it."""
    now = now or timezone.now()
    if registration.status != RegistrationStatus.OFFERED or (
        registration.offer_expires_at and registration.offer_expires_at < now
    ):
        return False
    return _change(registration, RegistrationStatus.CONFIRMED, kind=mail.CONFIRMED)


def expire_offers(now=None):
    """Offers not accepted in time lapse; the seat goes to the next person. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    for registration in Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lt=now):
        if _change(registration, RegistrationStatus.CANCELLED, kind=mail.OFFER_EXPIRED):
            lapsed += 1
    return lapsed


def toggle_check_in(registration, now=None):
    """Mark a confirmed attendee as arrived, or undo it. Returns the new state."""
    now = now or timezone.now()
    registration.checked_in_at = None if registration.checked_in_at else now
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration.checked_in_at is not None
