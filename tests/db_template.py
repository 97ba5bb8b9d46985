"""One migrated SQLite database, copied into every test process's in-memory test database.

Migrating an empty database takes about 40 s on the 2-core machine (Wagtail's and every app's
migrations, then what migrate installs: locales, the translated sections, groups), and each
pytest-xdist worker and the process of committing tests did it again. The main pytest process now
migrates once into a file named by a digest of everything migrate depends on (the code and
catalogues outside ``tests/``, the requirements), kept in ``.pytest-db/`` for the next run; each
test process's database starts as a copy of it, made with SQLite's backup API as Django's own
parallel test runner clones SQLite databases. PostgreSQL and file databases migrate as before.
"""

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

ENVIRON = "HUB_TEST_DB_TEMPLATE"
FOLDER = ".pytest-db"
# What a migrated database depends on: code, migrations and catalogues outside the tests.
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "tests", "media", "media-test", "static", ".bench", FOLDER}
DIGESTED_SUFFIXES = {".py", ".po", ".txt", ".toml"}


def in_memory_sqlite():
    """Whether the test database is SQLite in memory (the default test settings)."""
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    return database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME")


def digest():
    """A digest of every file migrate's result depends on."""
    base = Path(settings.BASE_DIR)
    files = []
    for folder, subfolders, names in os.walk(base):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIPPED_FOLDERS)
        files += [Path(folder) / name for name in names if Path(name).suffix in DIGESTED_SUFFIXES]
    hashed = hashlib.sha256(settings.SETTINGS_MODULE.encode())
    for path in sorted(files):
        hashed.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()[:16]


def build():
    """Migrate the template once (or find it from an earlier run) and name it to the test processes."""
    if not in_memory_sqlite():
        return
    folder = Path(settings.BASE_DIR) / FOLDER
    template = folder / f"{digest()}.sqlite3"
    if not template.exists():
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.sqlite3*"):
            old.unlink()
        building = template.with_suffix(".building")
        building.unlink(missing_ok=True)
        environ = {**os.environ, "DATABASE_URL": f"sqlite:///{building}", "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        done = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--run-syncdb"],
            cwd=settings.BASE_DIR,
            env=environ,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            building.unlink(missing_ok=True)
            raise RuntimeError(f"migrate failed while building the test database template:\n{done.stdout}{done.stderr}")
        building.rename(template)
    os.environ[ENVIRON] = str(template)


def install():
    """Make the test database's creation copy the template instead of migrating, when there is one."""
    template = os.environ.get(ENVIRON)
    if not template or not in_memory_sqlite():
        return
    from django.core import management
    from django.db.backends.sqlite3.creation import DatabaseCreation

    create_test_db = DatabaseCreation.create_test_db

    def copy_instead_of_migrating(creation, *args, **kwargs):
        call_command = management.call_command

        def migrate_or_copy(name, *command_args, **options):
            if name != "migrate":
                return call_command(name, *command_args, **options)
            connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
            connection.ensure_connection()
            with closing(sqlite3.connect(template)) as source:
                source.backup(connection.connection)
            return None

        # Only while the test database is created: a test that runs migrate itself still migrates.
        management.call_command = migrate_or_copy
        try:
            return create_test_db(creation, *args, **kwargs)
        finally:
            management.call_command = call_command

    DatabaseCreation.create_test_db = copy_instead_of_migrating
