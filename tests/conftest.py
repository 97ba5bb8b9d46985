"""Shared fixtures: the site tree in every locale, the events and partners sections, partner users.

Plain helpers (translating a page, making a user, counting queries) are in ``tests/helpers.py``.
"""

import shutil
from datetime import timedelta

import pytest

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from wagtail.models import Locale, Page

from home.models import HomePage
from hub import page_cache
from hub.management.commands.compile_catalogues import compile_catalogues
from partners.models import PartnerType
from partners.permissions import setup_board, setup_partner_access
from tests import db_template, demo_template
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
    the same .mo file while a third reads it would race. The main process also migrates the
    template every test database is copied from (``tests/db_template.py``), and names the folder of
    the demo's snapshot (``tests/demo_template.py``, built when a test first needs it).
    """
    if not hasattr(config, "workerinput"):
        compile_catalogues()
        db_template.build()
        demo_template.start()
    db_template.install()


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
    """Tests roll back the database without signals; start each one with an empty cache (and no
    page copies kept in this process under an earlier test's generation)."""
    cache.clear()
    page_cache.local_pages.clear()


@pytest.fixture
def locales(db):
    """Every enabled Locale by language code (created by the post_migrate hook)."""
    return {locale.language_code: locale for locale in Locale.objects.all()}


def bare_site():
    """Remove the sections migrate installed under the home pages and retitle the home page's
    translations per locale; a no-op when that is already so (a few queries)."""
    Page.objects.filter(depth__gt=2).delete()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    home = HomePage.objects.get(locale=locales[settings.LANGUAGE_CODE])
    for code, locale in locales.items():
        if code == settings.LANGUAGE_CODE:
            continue
        translated = home.get_translation(locale)
        if (translated.title, translated.hero_heading) != (f"Home ({code})", f"Hero ({code})"):
            translated.title = f"Home ({code})"
            translated.hero_heading = f"Hero ({code})"
            translated.save_revision().publish()
    return home


@pytest.fixture(scope="module", autouse=True)
def _bare_site_for_the_module(request):
    """Build the bare site of ``home`` once per test module, in a transaction rolled back after it.

    Removing the sections migrate installed is the costliest part of most tests' set-up (a tree
    delete with its cascades, over a second each time): done once here, every test's ``home`` finds
    it done, and each test's changes roll back to it (its own transaction is a savepoint inside this
    one). Modules that commit (their tests run in a process of their own), that never use ``home``,
    or that are marked ``installed_site`` (they need the database as migrate left it) are left alone:
    there ``home`` removes the sections itself, per test.
    """
    prefix = request.node.nodeid + "::"
    items = [item for item in request.session.items if item.nodeid.startswith(prefix)]
    if (
        request.node.get_closest_marker("installed_site")
        or not any("home" in item.fixturenames for item in items)
        or any(item.get_closest_marker("transactional") for item in items)
    ):
        yield
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
    try:
        with blocker.unblock():
            bare_site()
        yield
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def home(locales):
    """The English home page that migrate installed (the default Site's root), its translations
    retitled per locale; the installed sections are removed so that each test builds its own."""
    return bare_site()


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
