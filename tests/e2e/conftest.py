"""Real-browser tests: Playwright for Python driving Debian's Chromium (no Playwright browser download)."""

import os
import shutil
from pathlib import Path

import pytest

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_save

from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path():
    """The Chromium binary on PATH, if any."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Mark every test here e2e; skip them without Chromium, except in CI where that is a failure."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed, and CI=true requires the browser tests to run.")
        pytest.skip("Chromium not found on PATH: browser tests skipped (apt-get install -y chromium).")
    from playwright.sync_api import sync_playwright

    # Serialized rollback restores what migrate installed from a copy Django keeps on the
    # connection; under Playwright's event loop Django hands out another connection object.
    serialized = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        if serialized is not None:
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = serialized
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a screenshot for people to look at (tests/e2e/screenshots/, not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture(scope="module", autouse=True)
def _restorable_locale_synchronisation():
    """Let serialized rollback restore what migrate installed after each test's flush (for the
    browser tests' modules only: module fixtures are set up before each test's database).

    wagtail-localize starts a tree synchronisation on every LocaleSynchronization save, raw ones
    included; while Django reloads the serialized rows, the locale it names may not be back yet.
    The restored database already holds the synchronised tree, so nothing is lost.
    """
    post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
    yield
    post_save.connect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
