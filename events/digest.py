"""The events' part of the topic digests (``hub.registry.register_digest_source``)."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hub.registry import DigestItem, DigestSection

from .models import EventPage


def upcoming_events(locale, since, until):
    """Live, public events of ``locale`` announced in ``[since, until)`` that have not ended by ``until``."""
    events = (
        EventPage.objects.live()
        .public()
        .filter(locale=locale, alias_of__isnull=True, first_published_at__gte=since, first_published_at__lt=until)
        .upcoming(now=until)
        .defer_streamfields()
        .prefetch_related("tagged_items")
    )
    items = [
        DigestItem(
            page_id=event.pk,
            title=event.title,
            url=event.get_full_url() or "",
            summary=event.summary,
            detail=f"{date_format(event.local_start, 'DATETIME_FORMAT')} ({event.start_offset}, {event.timezone})",
            topic_ids=frozenset(item.tag_id for item in event.tagged_items.all()),
        )
        for event in events
    ]
    return DigestSection("events", _("Upcoming events"), items)
