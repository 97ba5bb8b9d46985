"""Factories for the events index and event pages."""

from datetime import UTC, datetime, timedelta

import factory

import wagtail_factories

from events.models import EventFormat, EventIndexPage, EventPage


class EventIndexPageFactory(wagtail_factories.PageFactory):
    """The events index; give it ``parent`` (the home page)."""

    title = "Events"
    slug = "events"
    introduction = "Workshops, conferences and webinars."

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    """An in-person event in Madrid, a month from now, two hours long."""

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    start = factory.LazyFunction(lambda: datetime.now(UTC).replace(microsecond=0) + timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    timezone = "Europe/Madrid"
    event_format = EventFormat.IN_PERSON
    venue_name = "City Hall"
    address = "Plaza Mayor 1"
    city = "Madrid"
    country = "Spain"
    summary = "A workshop on securing city infrastructure."

    class Meta:
        model = EventPage
