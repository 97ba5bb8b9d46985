"""When an event with registrations is published: tell registrants what changed, and give seats
that a larger capacity freed to the waiting list."""

from django.db.models.signals import pre_save

from wagtail.signals import page_published

from events.choices import EventStatus
from events.models import EventPage

from . import mail, seats
from .choices import ACTIVE
from .models import Registration

# What registrants are told about when it changes: when and where.
WATCHED = ("start", "end", "timezone", "venue_name", "address", "city", "country", "online_url", "status")


def remember_previous(sender, instance, update_fields=None, **kwargs):
    """Keep what the event said before this save (a publication saves every field)."""
    if instance.pk and update_fields is None:
        instance._registrations_previous = EventPage.objects.filter(pk=instance.pk).values(*WATCHED).first()


def event_published(sender, instance, **kwargs):
    """Mail an update (or a cancellation) to the registrants; promote from the waiting list."""
    previous = getattr(instance, "_registrations_previous", None)
    instance._registrations_previous = None
    registrations = Registration.objects.filter(event=instance, status__in=ACTIVE, anonymised_at__isnull=True)
    if previous is None or not registrations.exists():
        return
    if instance.status == EventStatus.CANCELLED and previous["status"] != EventStatus.CANCELLED:
        for registration in registrations:
            mail.notify(registration, mail.EVENT_CANCELLED)
        seats.forget_status(instance)
        return
    if instance.status != EventStatus.CANCELLED and any(previous[name] != getattr(instance, name) for name in WATCHED):
        for registration in registrations:
            mail.notify(registration, mail.EVENT_UPDATED)
    seats.promote_waiting(instance)
    seats.forget_status(instance)


def connect():
    pre_save.connect(remember_previous, sender=EventPage, dispatch_uid="registrations-event-previous")
    page_published.connect(event_published, sender=EventPage, dispatch_uid="registrations-event-published")
