"""Real-browser tests: Playwright for Python driving Debian's Chromium (no Playwright browser download).

The browser visits a real server (gunicorn, as in production) in a separate process, serving a
demo site copied once per session into a temporary SQLite database (see ``tests/e2e/settings.py``).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from django.conf import settings

from tests import db_template, demo_template

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
# Every public page type of the demo site, below /en/ or /ar/: screenshots (test_visitors.py) and
# the audits (test_audits.py) visit each.
PAGE_TYPES = {
    "home": "",
    "articles": "articles/",
    "topic": "articles/?tag=governance",
    "article": "articles/cyber-security-guidelines-for-smart-city-technology-adoption/",
    "events": "events/",
    "past-events": "events/past/",
    "event": "events/annual-conference/",
    "registration": "events/workshop-secure-procurement-doha/register/",
    "partners": "partners/",
    "partner": "partners/ioactive/",
    "contributors": "contributors/",
    "join": "join/",
    "search": "search/?q=security",
    "working-groups": "working-groups/",
    "working-group": "working-groups/smart-lighting-security/",
    "subscribe": "subscribe/",
    "digest-archive": "subscribe/archive/",
    "standard-page": "about/",
}
EDITOR = {"username": "editor", "password": "a-long-test-password-1", "email": "editor@example.org"}


def chromium_path():
    """The Chromium binary on PATH, if any."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Mark every test here e2e and slow."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    """Chromium; skipped when it is missing, except in CI where that is a failure."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed, and CI=true requires the browser tests to run.")
        pytest.skip("Chromium not found on PATH: browser tests skipped (apt-get install -y chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def free_port():
    """A TCP port nobody listens on now (HUB_E2E_PORT chooses one instead)."""
    if os.environ.get("HUB_E2E_PORT"):
        return int(os.environ["HUB_E2E_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url, server, log, timeout=60):
    """Poll the health check until the server answers, or fail with what it logged."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"The test server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"The test server did not answer on {url} within {timeout} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    """The live site's folder: its database, media and the mail it sent (``mail/``)."""
    return tmp_path_factory.mktemp("e2e-site")


@pytest.fixture(scope="session")
def live_site(browser, site_dir):
    """The demo site as `make run` sets it up, with an editor account, served by gunicorn: its URL."""
    env = {
        **{name: value for name, value in os.environ.items() if name != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "tests.e2e.settings",
        "HUB_E2E_DIR": str(site_dir),
        **{f"DJANGO_SUPERUSER_{key.upper()}": value for key, value in EDITOR.items()},
    }
    # The demo snapshot (tests/demo_template.py: the migrated template with the demo loaded,
    # and its media) is what migrate and load_demo_content would make here: the same settings but
    # for the database's file and the media folder.
    commands = [["createsuperuser", "--noinput"]]
    if db_template.kind() == "sqlite" and demo_template.available():
        with demo_template.snapshot() as demo:
            shutil.copyfile(demo.database, site_dir / "site.sqlite3")
            shutil.copytree(demo.media, site_dir / "media")
    else:
        commands[:0] = [["migrate", "--noinput"], ["load_demo_content"]]
    for command in commands:
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )
        if done.returncode:
            pytest.fail(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    port = free_port()
    log = site_dir / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [Path(sys.executable).with_name("gunicorn"), "hub.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--threads", "4"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def mailbox(site_dir):
    """``mailbox()``: the text of every mail the live site has sent so far, oldest first."""

    def read():
        folder = site_dir / "mail"
        files = sorted(folder.glob("*.log"), key=lambda path: path.stat().st_mtime) if folder.is_dir() else []
        return [path.read_text(encoding="utf-8", errors="replace") for path in files]

    return read


@pytest.fixture
def editor():
    """Username and password of the superuser the live site was built with."""
    return EDITOR


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
