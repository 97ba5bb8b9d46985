"""Plain helpers shared by the test modules (fixtures live in conftest.py, not here)."""

import io
import re
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale

from hub.translation import translate
from tests import demo_template


def translate_page(page, codes=None, suffix=True):
    """Translate ``page`` through wagtail-localize (replacing any alias) and publish it.

    Titles get a language suffix ("About (es)") so tests can tell the versions apart.
    """
    codes = codes or [code for code, _name in settings.LANGUAGES if code != page.locale.language_code]
    strings = {page.title: {code: f"{page.title} ({code})" for code in codes}} if suffix else {}
    translate(page, strings, languages=codes)
    return {code: page.get_translation(Locale.objects.get(language_code=code)).specific for code in codes}


def make_user(username, group=None, **extra):
    """A user with a known password, optionally in ``group``."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "a-long-test-password", **extra)
    if group is not None:
        user.groups.add(group)
    return user


def local(zone, *args):
    """An aware datetime at wall-clock ``args`` in ``zone``, as UTC."""
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def query_counts(client, urls):
    """``{url: queries}`` that a GET of each URL costs, each measured after the same warm-up.

    The warm-up puts every request in the same state, so counts taken at two data sizes can be
    compared exactly: one visit to the URL fills what a process keeps for its lifetime (content
    types, the first request's lookups), then the cache is emptied and the English home page
    visited, which caches the site's root paths and the labels every page shows.
    """
    counts = {}
    client.get("/en/")  # a site's first page creates its SiteSettings row: a visible change, made here
    for url in urls:
        client.get(url)
        cache.clear()
        client.get("/en/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def run_task_worker(worker_id="test-worker"):
    """Run every due task of the database backend once, as ``manage.py db_worker --batch`` would.

    In-process and inside the test's transaction (the real command closes connections between
    tasks, which a test transaction cannot survive). Returns how many tasks ran.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def sitemap_parts(client):
    """``{part address: XML}`` of every part that ``/sitemap.xml`` (a sitemap index) lists."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    parts = {}
    for location in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        parts_url = urlsplit(location)
        path = parts_url.path + (f"?{parts_url.query}" if parts_url.query else "")
        response = client.get(path)
        assert response.status_code == 200, location
        parts[location] = response.content.decode()
    return parts


def sitemap_text(client):
    """All the sitemap's parts as one text, for tests that look for an address in it."""
    return "\n".join(sitemap_parts(client).values())


@contextmanager
def module_data(django_db_blocker, tmp_path_factory, name):
    """For a module-scoped fixture: data built once inside a transaction that is rolled back at the
    end, with uploads in a media folder of its own (``name``). On-commit work runs as it is queued."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp(name))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()


@contextmanager
def module_demo(django_db_blocker, tmp_path_factory):
    """For a module-scoped fixture: the demo content as `make run` loads it (on-commit work done),
    its uploads in a media folder of the module's; the module's changes are undone at the end.
    Yields what ``load_demo_content`` printed.

    The run's demo snapshot is copied in (``tests/demo_template.py``); without one (a SQLite file
    as the test database) the demo is loaded here, inside a transaction rolled back at the end."""
    if demo_template.available():
        with demo_template.demo_database(django_db_blocker, tmp_path_factory.mktemp("demo") / "media") as output:
            yield output
        return
    with module_data(django_db_blocker, tmp_path_factory, "demo-media"):
        out = io.StringIO()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_content", stdout=out)
        yield out.getvalue()
