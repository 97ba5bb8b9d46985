"""Signal handlers for events (imported by ``EventsConfig.ready()``, once the models are loaded)."""

from django.db.models import F

from wagtail.signals import page_published

from .models import EventPage


def bump_sequence(sender, instance, **kwargs):
    """Count publications: iCalendar clients replace their copy when SEQUENCE rises."""
    type(instance).objects.filter(pk=instance.pk).update(sequence=F("sequence") + 1)
    instance.refresh_from_db(fields=["sequence"])


def connect():
    page_published.connect(bump_sequence, sender=EventPage, dispatch_uid="events-bump-sequence")
