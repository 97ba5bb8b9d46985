"""Building and sending the digests: a job of the hub's periodic-jobs scheduler (``hub.periodic``).

For each frequency the job looks at the last *complete* period (the week from Monday 00:00 UTC, or
the calendar month) and, per language, asks every registered source (``hub.registry``: new
articles, upcoming events…) for the live, public items of that language's own tree that appeared in
it. That is the language's ``Digest``. Each confirmed subscriber of that language and frequency
gets the items on their topics as one ``Delivery``, sent by a task; a subscriber with nothing on
their topics gets nothing. Deliveries are unique per digest and subscriber, so running the job
again (or on two hosts) never sends anything twice. Subscribers are handled in batches, and the
job reports its progress as it goes.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from wagtail.models import Locale

from hub.registry import digest_sources

from .choices import DeliveryStatus, Frequency
from .models import Delivery, Digest, Subscriber
from .tasks import send_digest

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def last_complete_period(frequency, now=None):
    """``(start, end)`` in UTC of the last whole week (Monday to Monday) or month before ``now``."""
    now = (now or timezone.now()).astimezone(UTC)
    today = datetime(now.year, now.month, now.day, tzinfo=UTC)
    if frequency == Frequency.WEEKLY:
        end = today - timedelta(days=today.weekday())
        return end - timedelta(days=7), end
    end = today.replace(day=1)
    start = (end - timedelta(days=1)).replace(day=1)
    return start, end


def collect(language, start, end):
    """The sections of ``language``'s digest for ``[start, end)`` as stored data (headings in that language)."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    sections = []
    with translation.override(language):
        for source in digest_sources():
            section = source(locale, start, end)
            if section is None or not section.items:
                continue
            sections.append(
                {
                    "key": section.key,
                    "heading": str(section.heading),
                    "items": [
                        {
                            "page_id": item.page_id,
                            "title": item.title,
                            "url": item.url,
                            "summary": item.summary,
                            "detail": item.detail,
                            "topic_ids": sorted(item.topic_ids),
                        }
                        for item in section.items
                    ],
                }
            )
    return sections


def digest_for(language, frequency, start, end):
    """The language's digest of the period, built once (a second run finds it)."""
    digest = Digest.objects.filter(language=language, frequency=frequency, period_start=start).first()
    if digest is not None:
        return digest
    try:
        with transaction.atomic():
            return Digest.objects.create(
                language=language,
                frequency=frequency,
                period_start=start,
                period_end=end,
                sections=collect(language, start, end),
            )
    except IntegrityError:  # another scheduler made it at the same moment
        return Digest.objects.get(language=language, frequency=frequency, period_start=start)


def queue_deliveries(digest, *, batch_size=BATCH_SIZE, progress=None):
    """One delivery (and one send task) per subscriber with items on their topics. Returns how many were queued."""
    subscribers = (
        Subscriber.objects.active()
        .filter(language=digest.language, frequency=digest.frequency, confirmed_at__lt=digest.period_end)
        .exclude(deliveries__digest=digest)
        .order_by("pk")
    )
    total = subscribers.count()
    queued = done = 0
    last_pk = 0
    while True:
        batch = list(subscribers.filter(pk__gt=last_pk).prefetch_related("topics")[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        for subscriber in batch:
            done += 1
            # Nothing on their topics: an empty digest is not sent (recorded, so a second run skips it).
            empty = not digest.sections_for([topic.pk for topic in subscriber.topics.all()])
            status = DeliveryStatus.SKIPPED if empty else DeliveryStatus.QUEUED
            delivery, created = Delivery.objects.get_or_create(
                digest=digest, subscriber=subscriber, defaults={"status": status}
            )
            if created and not empty:
                transaction.on_commit(lambda pk=delivery.pk: send_digest.enqueue(pk))
                queued += 1
        message = f"{digest}: {done}/{total} subscribers, {queued} digests queued"
        logger.info(message)
        if progress is not None:
            progress(message)
    return queued


def send_digests(now=None, *, batch_size=BATCH_SIZE, progress=None):
    """The periodic job: every language's digest of the last complete week and month. Returns a summary."""
    queued = 0
    for frequency in Frequency.values:
        start, end = last_complete_period(frequency, now)
        for language, _name in settings.LANGUAGES:
            subscribers = Subscriber.objects.active().filter(language=language, frequency=frequency)
            if not subscribers.filter(confirmed_at__lt=end).exists():
                continue
            digest = digest_for(language, frequency, start, end)
            if not digest.item_count:
                continue
            queued += queue_deliveries(digest, batch_size=batch_size, progress=progress)
    return f"{queued} digest(s) queued"
