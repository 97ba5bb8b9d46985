"""The demo content, loaded once and copied wherever a test needs it.

``load_demo_content`` takes 30-70 s on the 2-core machine, and test_demo_site, test_public_queries
and each browser-test worker (``tests/e2e``) loaded it again, in every pytest run. Now the first
test process that needs it builds a snapshot: the migrated template (``tests/db_template.py``) with
the demo loaded into it by ``load_demo_content`` in a process of its own (its on-commit work,
search indexing included, done as in `make run`), beside the media folder the demo wrote and what
the command printed. The others wait for it (a file lock: pytest-xdist's workers are separate
processes) and copy it, in this run and the next ones:

- SQLite: the snapshot is a file in ``.pytest-db/<digest>-demo-sqlite/``, copied into the in-memory test
  database with SQLite's backup API for one test module; the database the module started with is
  copied back after it;
- PostgreSQL: the snapshot is a database, ``hubdemo_<digest>``; for one test module the test
  database is renamed aside and created again ``WITH TEMPLATE`` the snapshot, then dropped and
  renamed back.

The digest is the migrated template's with every file of ``demo/`` (the YAML, images and PDFs
too) and this module. The demo's events and meetings are dated from today in their own time zones,
and its pages carry the time they were published: a snapshot is built again after the next
midnight in any of those zones, and after ``MAX_AGE`` seconds in any case.
"""

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings

from hub import memo
from tests import db_template

ENVIRON = "HUB_TEST_DEMO_SNAPSHOT"
POSTGRES_PREFIX = "hubdemo_"
SUFFIX = "-demo"
MAX_AGE = 3 * 3600


@dataclass(frozen=True)
class Snapshot:
    """A demo snapshot: its database (a file, or a PostgreSQL database's name), its media folder,
    and what ``load_demo_content`` printed."""

    database: str
    media: Path
    output: str


def digest():
    """The migrated template's digest, with every file the demo's snapshot depends on besides."""
    base = Path(settings.BASE_DIR)
    files = [path for path in (base / "demo").rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    hashed = hashlib.sha256(db_template.digest().encode())
    for path in sorted([*files, Path(__file__)]):
        hashed.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()[:16]


def start():
    """In the main process: name the snapshot's folder (built when a test first needs it) and
    remove the snapshots of other digests."""
    if not os.environ.get(db_template.ENVIRON) or db_template.kind() is None:
        return
    name = digest()
    suffix = f"{SUFFIX}-{db_template.kind()}"  # one engine's run leaves the other's snapshot alone
    folders = Path(settings.BASE_DIR) / db_template.FOLDER
    for old in folders.glob(f"*{suffix}"):
        if old.name != f"{name}{suffix}":
            shutil.rmtree(old, ignore_errors=True)
    if db_template.kind() == "postgresql":
        with closing(db_template.maintenance_connection()) as connection:
            rows = connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{POSTGRES_PREFIX}%"])
            for (old,) in rows.fetchall():
                if old != POSTGRES_PREFIX + name:
                    connection.execute(f'DROP DATABASE IF EXISTS "{old}"')
    folder = folders / f"{name}{suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[ENVIRON] = str(folder)


def available():
    """Whether this run has a snapshot (SQLite in memory or PostgreSQL, from a migrated template)."""
    return bool(os.environ.get(ENVIRON))


def _load(database_url, folder):
    """``load_demo_content`` into ``database_url``, uploads into ``folder``/media: what it printed."""
    return db_template.run_on(
        database_url,
        ["-m", "tests.demo_template", str(folder)],
        "load_demo_content, while building the demo snapshot,",
    )


def _build(folder):
    """Load the demo into a copy of the migrated template: the snapshot's database."""
    (folder / "built.json").unlink(missing_ok=True)
    template = os.environ[db_template.ENVIRON]
    if db_template.kind() == "postgresql":
        database = POSTGRES_PREFIX + folder.name.split(SUFFIX)[0]
        with closing(db_template.maintenance_connection()) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
            connection.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        url = db_template.postgres_url(database)
    else:
        database = str(folder / "demo.sqlite3")
        shutil.copyfile(template, database)
        url = f"sqlite:///{database}"
    shutil.rmtree(folder / "media", ignore_errors=True)
    (folder / "output.txt").write_text(_load(url, folder))
    expires = min(json.loads((folder / "expires.json").read_text()), time.time() + MAX_AGE)
    (folder / "built.json").write_text(json.dumps({"database": database, "expires": expires}))


@contextmanager
def snapshot():
    """The demo snapshot, built first if there is none or it has expired; held (under the lock)
    while the caller copies it, since another process may build it again afterwards."""
    folder = Path(os.environ[ENVIRON])
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = folder / "built.json"
        if not built.exists() or json.loads(built.read_text())["expires"] <= time.time():
            _build(folder)
        database = json.loads(built.read_text())["database"]
        yield Snapshot(database, folder / "media", (folder / "output.txt").read_text())


def _forget():
    """What the process kept from the database it had before: cached pages and labels, memos."""
    cache.clear()
    memo.forget()
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()


def _sqlite_swap(connection, database):
    """Copy ``database`` (a file) into the test database; return what copies the old one back."""
    connection.ensure_connection()
    saved = sqlite3.connect(":memory:")
    connection.connection.backup(saved)
    with closing(sqlite3.connect(database)) as source:
        source.backup(connection.connection)

    def back():
        with closing(saved):
            saved.backup(connection.connection)

    return back


def _postgres_swap(connection, database):
    """Create the test database again ``WITH TEMPLATE`` ``database``, the old one renamed aside;
    return what brings the old one back."""
    name = connection.settings_dict["NAME"]
    aside = f"{name}_before_demo"
    connection.close()
    with closing(db_template.maintenance_connection()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{aside}"')
        admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{aside}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database}"')

    def back():
        connection.close()
        with closing(db_template.maintenance_connection()) as admin:
            admin.execute(f'DROP DATABASE "{name}"')
            admin.execute(f'ALTER DATABASE "{aside}" RENAME TO "{name}"')

    return back


@contextmanager
def demo_database(django_db_blocker, media):
    """For a module-scoped fixture: the test database as the demo snapshot has it, uploads in
    ``media`` (a copy of the snapshot's); the database the module started with comes back after.
    Yields what ``load_demo_content`` printed."""
    connection = connections[DEFAULT_DB_ALIAS]
    swap = _postgres_swap if connection.vendor == "postgresql" else _sqlite_swap
    with django_db_blocker.unblock():
        # Not inside a transaction: a module's own (the bare site's) would be replaced too.
        assert not connection.in_atomic_block, "the demo snapshot replaces the whole test database"
        with snapshot() as demo:
            shutil.copytree(demo.media, media)
            back = swap(connection, demo.database)
        media_root = override_settings(MEDIA_ROOT=media)
        media_root.enable()
        _forget()
        try:
            yield demo.output
        finally:
            _forget()
            back()
            media_root.disable()


def _next_midnight(zones, instant):
    """The first instant after ``instant`` at which a day ends in any of ``zones`` (a POSIX timestamp)."""
    ends = []
    for zone in map(ZoneInfo, zones):
        today = instant.astimezone(zone).date()
        ends.append(datetime.combine(today + timedelta(days=1), datetime.min.time(), zone))
    return min(ends).timestamp()


def _main(folder):
    """Load the demo as `make run` does, uploads into ``folder``/media (the test settings'
    MEDIA_ROOT is fixed); write when its dates stop being today's into ``folder``/expires.json.

    Run as ``python -m tests.demo_template FOLDER``: the models are not ready before ``django.setup()``,
    hence this module imports none at the top."""
    import django
    from django.core.management import call_command

    folder = Path(folder)
    settings.MEDIA_ROOT = folder / "media"
    django.setup()
    started = datetime.now(ZoneInfo("UTC"))
    call_command("load_demo_content")
    expires = _next_midnight({"UTC", settings.TIME_ZONE, *_demo_zones()}, started)
    (folder / "expires.json").write_text(json.dumps(expires))


def _demo_zones():
    """The time zones the demo's dates count from: its events' and working groups'."""
    events = apps.get_model("events", "EventPage").objects.values_list("timezone", flat=True)
    groups = apps.get_model("groups", "WorkingGroup").objects.values_list("time_zone", flat=True)
    return {*events, *groups}


if __name__ == "__main__":
    _main(sys.argv[1])
