"""Shared fixtures: the site tree in every locale, the events and partners sections, partner users.

Plain helpers (translating a page, making a user, counting queries) are in ``tests/helpers.py``.
"""

import shutil
from datetime import timedelta

import pytest

from django.conf import settings
from django.core.cache import cache

from wagtail.models import Locale, Page

from home.models import HomePage
from hub.management.commands.compile_catalogues import compile_catalogues
from partners.models import PartnerType
from partners.permissions import setup_board, setup_partner_access
from tests.factories import (
    ContributorsPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    JoinPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)
from tests.helpers import translate_page


def pytest_configure(config):
    """Interface strings need their .mo files: compile the stale ones (pure Python) before any test.

    Only the main process compiles: pytest-xdist workers start after it, and two workers writing
    the same .mo file while a third reads it would race.
    """
    if not hasattr(config, "workerinput"):
        compile_catalogues()


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that commits real transactions ``transactional``.

    Such a test empties the database when it ends (Django flushes after a TransactionTestCase), so
    a test after it in the same process would find no home page, Site or groups. ``make test`` runs
    these tests in a pytest process of their own, where each restores migrate's data first: they
    must ask for ``serialized_rollback=True`` when they use the installed site.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        committing = marker is not None and (
            marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
        )
        if committing or TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.transactional)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploads go to a throwaway folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests roll back the database without signals; start each one with an empty cache."""
    cache.clear()


@pytest.fixture
def locales(db):
    """Every enabled Locale by language code (created by the post_migrate hook)."""
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def home(locales):
    """The English home page that migrate installed (the default Site's root), its translations
    retitled per locale; the installed sections are removed so that each test builds its own."""
    Page.objects.filter(depth__gt=2).delete()
    home = HomePage.objects.get(locale=locales[settings.LANGUAGE_CODE])
    for code, locale in locales.items():
        if code == settings.LANGUAGE_CODE:
            continue
        translated = home.get_translation(locale)
        translated.title = f"Home ({code})"
        translated.hero_heading = f"Hero ({code})"
        translated.save_revision().publish()
    return home


# --- Events ---------------------------------------------------------------------------------


@pytest.fixture
def events_index(home):
    """The English events index, translated into es, fr and ar."""
    index = EventIndexPageFactory(parent=home, show_in_menus=True)
    index.save_revision().publish()
    translate_page(index)
    return index


@pytest.fixture
def make_event(events_index):
    """``make_event(**fields)`` adds a live event under the English index (two hours long by default)."""

    def make(**fields):
        if "start" in fields and "end" not in fields:
            fields["end"] = fields["start"] + timedelta(hours=2)
        return EventPageFactory(parent=events_index, **fields)

    return make


# --- Partners -------------------------------------------------------------------------------


@pytest.fixture
def partners_section(home):
    """Directory, contributors and join pages, each translated into es, fr and ar."""
    pages = {
        "index": PartnerIndexPageFactory(parent=home, introduction="Our partners."),
        "contributors": ContributorsPageFactory(parent=home),
        "join": JoinPageFactory(parent=home),
    }
    for page in pages.values():
        translate_page(page)
    return pages


@pytest.fixture
def two_partners(partners_section):
    """Organisations A and B with their groups, and the board review workflow."""
    index = partners_section["index"]
    a = PartnerPageFactory(parent=index, title="Alpha City", slug="alpha", partner_type=PartnerType.CITY_AUTHORITY)
    b = PartnerPageFactory(parent=index, title="Beta Labs", slug="beta", partner_type=PartnerType.SECURITY_RESEARCH)
    setup_board()
    return {"a": a, "b": b, "group_a": setup_partner_access(a), "group_b": setup_partner_access(b)}
