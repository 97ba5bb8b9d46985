"""Bounces and complaints stop the digests to an address.

- **SMTP (the default)**: bounces come back to the sender's mailbox; an operator records them with
  ``manage.py digest_bounce <address>`` (``--complaint`` for a spam complaint).
- **django-anymail users**: anymail's tracking webhook (``/anymail/<esp>/tracking/``, see anymail's
  documentation for your provider) sends its ``tracking`` signal; when anymail is installed,
  ``DigestsConfig.ready()`` connects ``tracking_event`` to it, and hard bounces, complaints and
  unsubscribes reported by the provider are applied here.

A hard bounce pauses the subscriber (a new confirmation resumes); a complaint or a provider
unsubscribe deletes them, like the one-click unsubscribe.
"""

import logging

from .models import Subscriber

logger = logging.getLogger(__name__)

BOUNCE = "bounced"
COMPLAINT = "complained"
UNSUBSCRIBE = "unsubscribed"


def record(email, kind):
    """Apply a bounce, complaint or unsubscribe reported for ``email``; returns True when a subscriber was found."""
    subscriber = Subscriber.objects.for_email(email or "").first()
    if subscriber is None:
        return False
    if kind == BOUNCE:
        subscriber.active = False
        subscriber.stopped_reason = BOUNCE
        subscriber.save(update_fields=["active", "stopped_reason", "updated_at"])
    else:
        subscriber.unsubscribe(reason=kind)
    logger.info("digest subscriber %s: %s", subscriber.pk, kind)
    return True


# anymail's event types (anymail.signals.EventType) that stop a subscription.
ANYMAIL_EVENTS = {"bounced": BOUNCE, "complained": COMPLAINT, "unsubscribed": UNSUBSCRIBE}


def tracking_event(sender, event, esp_name=None, **kwargs):
    """Receiver of ``anymail.signals.tracking``: ``event.event_type`` and ``event.recipient``."""
    kind = ANYMAIL_EVENTS.get(getattr(event, "event_type", ""))
    if kind is not None:
        record(getattr(event, "recipient", ""), kind)
