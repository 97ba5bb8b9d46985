"""Sending one subscriber's digest, in the worker (arguments: a delivery id)."""

from django_tasks import task

from django.utils import timezone

from hub.tasks import retrying

from .choices import DeliveryStatus
from .mail import digest_message
from .models import Delivery


@task()
@retrying(attempts=5, on=(OSError,))
def send_digest(delivery_id):
    """Send the delivery once: it is claimed (queued → sending) before the mail goes, marked sent after.

    A failed send puts it back to queued so the retry can claim it again. Returns what happened.
    """
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENDING
    )
    if not claimed:
        return "already sent or gone"
    delivery = Delivery.objects.select_related("digest", "subscriber").get(pk=delivery_id)
    subscriber = delivery.subscriber
    if not subscriber.active:
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SKIPPED)
        return "subscriber stopped"
    sections = delivery.digest.sections_for(subscriber.topics.values_list("pk", flat=True))
    try:
        digest_message(subscriber, delivery.digest, sections).send(fail_silently=False)
    except Exception:
        Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.QUEUED)
        raise
    Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    return "sent"
