"""Fixtures for the events tests: an events index in every locale and a helper to add events."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import translate_page
from tests.factories import EventIndexPageFactory, EventPageFactory


def local(zone, *args):
    """An aware datetime at wall-clock ``args`` in ``zone``, as UTC."""
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.fixture(name="events_index")
def events_index_fixture(home):
    """The English events index, translated into es, fr and ar."""
    index = EventIndexPageFactory(parent=home, show_in_menus=True)
    index.save_revision().publish()
    translate_page(index)
    return index


@pytest.fixture(name="make_event")
def make_event_fixture(events_index):
    """``make_event(**fields)`` adds a live event under the English index."""

    def make(**fields):
        if "start" in fields and "end" not in fields:
            fields["end"] = fields["start"] + timedelta(hours=2)
        return EventPageFactory(parent=events_index, **fields)

    return make
