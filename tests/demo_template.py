"""The demo content, loaded once per pytest run and copied wherever a test needs it.

``load_demo_content`` takes 40-90 s on the 2-core machine, and test_demo_site, test_public_queries
and each browser-test worker (``tests/e2e``) loaded it again. Now the first of them to need it in a
run builds a snapshot: the migrated template (``tests/db_template.py``) with the demo loaded into it
by ``load_demo_content`` in a process of its own (its on-commit work, search indexing included,
done as in `make run`), beside the media folder the demo wrote and what the command printed. The
other test processes wait for it (a file lock: pytest-xdist's workers are separate processes) and
copy it:

- SQLite: the snapshot is a file, copied into the in-memory test database with SQLite's backup API
  for one test module; the database the module started with is copied back after it;
- PostgreSQL: the snapshot is a database, ``hubdemo_<run>``; for one test module the test database
  is renamed aside and created again ``WITH TEMPLATE`` the snapshot, then dropped and renamed back.

A snapshot lives for one pytest run (the main process names its folder and removes it at the end),
not across runs as the migrated template does: the demo's events and meetings are dated from today
in their own time zones, and its pages carry the time they were published.
"""

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings

from hub import memo
from tests import db_template

ENVIRON = "HUB_TEST_DEMO_SNAPSHOT"
POSTGRES_PREFIX = "hubdemo_"


@dataclass(frozen=True)
class Snapshot:
    """Where a run's demo snapshot is: its database (a file, or a PostgreSQL database's name), its
    media folder, and what ``load_demo_content`` printed."""

    database: str
    media: Path
    output: str


def start():
    """In the main process: name the run's snapshot folder (built when a test first needs it)."""
    if os.environ.get(db_template.ENVIRON) and db_template.kind() is not None:
        os.environ[ENVIRON] = tempfile.mkdtemp(prefix="hub-demo-")


def finish():
    """In the main process, after the run: remove the snapshot."""
    folder = os.environ.pop(ENVIRON, None)
    if folder is None:
        return
    if (Path(folder) / "built").exists() and db_template.kind() == "postgresql":
        with closing(db_template._maintenance_connection()) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{_postgres_name(folder)}"')
    shutil.rmtree(folder, ignore_errors=True)


def available():
    """Whether this run has a snapshot (SQLite in memory or PostgreSQL, from a migrated template)."""
    return bool(os.environ.get(ENVIRON))


def _postgres_name(folder):
    return POSTGRES_PREFIX + Path(folder).name.removeprefix("hub-demo-").lower()


def _load(database_url, media):
    """``load_demo_content`` into ``database_url``, uploads into ``media``: what it printed."""
    environ = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    done = subprocess.run(
        [sys.executable, "-m", "tests.demo_template", str(media)],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"load_demo_content failed while building the demo snapshot:\n{done.stdout}{done.stderr}")
    return done.stdout


def _build(folder):
    """Load the demo into a copy of the migrated template: the snapshot's database."""
    template = os.environ[db_template.ENVIRON]
    if db_template.kind() == "postgresql":
        database = _postgres_name(folder)
        with closing(db_template._maintenance_connection()) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
            connection.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        url = db_template._postgres_url(database)
    else:
        database = str(folder / "demo.sqlite3")
        shutil.copyfile(template, database)
        url = f"sqlite:///{database}"
    shutil.rmtree(folder / "media", ignore_errors=True)
    (folder / "output.txt").write_text(_load(url, folder / "media"))
    (folder / "built").write_text(database)


def snapshot():
    """This run's demo snapshot, built by the first test process that asks for it."""
    folder = Path(os.environ[ENVIRON])
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "built").exists():
            _build(folder)
    return Snapshot((folder / "built").read_text(), folder / "media", (folder / "output.txt").read_text())


def _forget():
    """What the process kept from the database it had before: cached pages and labels, memos."""
    cache.clear()
    memo.forget()
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()


@contextmanager
def _sqlite_swapped(connection, database):
    connection.ensure_connection()
    with closing(sqlite3.connect(":memory:")) as saved:
        connection.connection.backup(saved)
        with closing(sqlite3.connect(database)) as source:
            source.backup(connection.connection)
        try:
            yield
        finally:
            saved.backup(connection.connection)


@contextmanager
def _postgres_swapped(connection, database):
    name = connection.settings_dict["NAME"]
    aside = f"{name}_before_demo"
    connection.close()
    with closing(db_template._maintenance_connection()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{aside}"')
        admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{aside}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{database}"')
    try:
        yield
    finally:
        connection.close()
        with closing(db_template._maintenance_connection()) as admin:
            admin.execute(f'DROP DATABASE "{name}"')
            admin.execute(f'ALTER DATABASE "{aside}" RENAME TO "{name}"')


@contextmanager
def demo_database(django_db_blocker, media):
    """For a module-scoped fixture: the test database as the demo snapshot has it, uploads in
    ``media`` (a copy of the snapshot's); the database the module started with comes back after.
    Yields what ``load_demo_content`` printed."""
    demo = snapshot()
    shutil.copytree(demo.media, media)
    media_root = override_settings(MEDIA_ROOT=media)
    connection = connections[DEFAULT_DB_ALIAS]
    swapped = _postgres_swapped if connection.vendor == "postgresql" else _sqlite_swapped
    media_root.enable()
    try:
        with django_db_blocker.unblock():
            # Not inside a transaction: a module's own (the bare site's) would be replaced too.
            assert not connection.in_atomic_block, "the demo snapshot replaces the whole test database"
            with swapped(connection, demo.database):
                _forget()
                try:
                    yield demo.output
                finally:
                    _forget()
    finally:
        media_root.disable()


def _main(media):
    """Load the demo as `make run` does, uploads into ``media`` (the test settings' MEDIA_ROOT is fixed).

    Run as ``python -m tests.demo_template MEDIA``: the models are not ready before ``django.setup()``,
    hence this module imports none at the top."""
    import django
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(media)
    django.setup()
    call_command("load_demo_content")


if __name__ == "__main__":
    _main(sys.argv[1])
