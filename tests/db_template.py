"""One migrated database, the template every test process's test database starts from.

Migrating an empty database takes about 40 s on the 2-core machine (Wagtail's and every app's
migrations, then what migrate installs: locales, the translated sections, groups), and each
pytest-xdist worker and the process of committing tests did it again. The main pytest process now
migrates once into a template named by a digest of everything migrate depends on (the code and
catalogues outside ``tests/``, the requirements), kept for the next run; each test process's
database starts as a copy of it, as Django's own parallel test runner clones databases:

- SQLite (the default test settings: in memory): the template is a file in ``.pytest-db/``, copied
  into the in-memory database with SQLite's backup API;
- PostgreSQL (``DATABASE_URL=postgres://…``): the template is a database, ``hubtpl_<digest>``; the
  test database is created ``WITH TEMPLATE`` it (Django's ``TEST["TEMPLATE"]``), and migrate then
  finds every migration applied.

Anything else (a SQLite file as the test database) migrates as before. A test that runs
``migrate`` itself still migrates.
"""

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

ENVIRON = "HUB_TEST_DB_TEMPLATE"
FOLDER = ".pytest-db"
POSTGRES_PREFIX = "hubtpl_"
# What a migrated database depends on: code, migrations and catalogues outside the tests.
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "tests", "media", "media-test", "static", ".bench", FOLDER}
DIGESTED_SUFFIXES = {".py", ".po", ".txt", ".toml"}


def _database():
    return settings.DATABASES[DEFAULT_DB_ALIAS]


def kind():
    """"sqlite" (in memory), "postgresql", or None when the test database is neither."""
    database = _database()
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        return "sqlite"
    if database["ENGINE"] == "django.db.backends.postgresql":
        return "postgresql"
    return None


def digest():
    """A digest of every file migrate's result depends on."""
    base = Path(settings.BASE_DIR)
    files = []
    for folder, subfolders, names in os.walk(base):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIPPED_FOLDERS)
        files += [Path(folder) / name for name in names if Path(name).suffix in DIGESTED_SUFFIXES]
    hashed = hashlib.sha256(f"{settings.SETTINGS_MODULE}\0{_database()['ENGINE']}".encode())
    for path in sorted(files):
        hashed.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()[:16]


def run_on(database_url, command, what):
    """Run ``python <command…>`` in the project with the test settings on ``database_url``; its
    output, or RuntimeError saying that ``what`` failed, with that output."""
    environ = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    done = subprocess.run(
        [sys.executable, *command], cwd=settings.BASE_DIR, env=environ, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _migrate(database_url):
    run_on(
        database_url,
        ["manage.py", "migrate", "--noinput", "--run-syncdb"],
        "migrate, while building the test database template,",
    )


def _build_sqlite(name):
    folder = Path(settings.BASE_DIR) / FOLDER
    template = folder / f"{name}.sqlite3"
    if not template.exists():
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.sqlite3*"):
            old.unlink()
        building = template.with_suffix(".building")
        building.unlink(missing_ok=True)
        try:
            _migrate(f"sqlite:///{building}")
        except RuntimeError:
            building.unlink(missing_ok=True)
            raise
        building.rename(template)
    return str(template)


def postgres_url(name):
    """The test settings' DATABASE_URL (where PostgreSQL's settings come from) naming database ``name``."""
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def maintenance_connection():
    """A connection to PostgreSQL's own database, in autocommit (pytest-django guards Django's)."""
    import psycopg

    database = _database()
    options = {"USER": "user", "PASSWORD": "password", "HOST": "host", "PORT": "port"}
    arguments = {argument: database[key] for key, argument in options.items() if database.get(key)}
    return psycopg.connect(dbname="postgres", autocommit=True, **arguments)


def _build_postgres(name):
    template = f"{POSTGRES_PREFIX}{name}"
    building = f"{template}_building"
    with closing(maintenance_connection()) as connection:
        rows = connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{POSTGRES_PREFIX}%"])
        existing = {row[0] for row in rows}
        if template in existing:
            return template
        for old in existing:
            connection.execute(f'DROP DATABASE IF EXISTS "{old}"')
        connection.execute(f'CREATE DATABASE "{building}"')
        try:
            _migrate(postgres_url(building))
        except RuntimeError:
            connection.execute(f'DROP DATABASE IF EXISTS "{building}"')
            raise
        connection.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    return template


def build():
    """Migrate the template once (or find it from an earlier run) and name it to the test processes."""
    builders = {"sqlite": _build_sqlite, "postgresql": _build_postgres}
    builder = builders.get(kind())
    if builder is not None:
        os.environ[ENVIRON] = builder(digest())


def install():
    """Make the test database's creation start from the template instead of migrating."""
    template = os.environ.get(ENVIRON)
    database_kind = kind()
    if not template or database_kind is None:
        return
    if database_kind == "postgresql":
        # CREATE DATABASE test_… WITH TEMPLATE hubtpl_…, then migrate as usual: it finds every
        # migration applied (and a database kept by --reuse-db still gets new ones).
        _database().setdefault("TEST", {})["TEMPLATE"] = template
        connections[DEFAULT_DB_ALIAS].settings_dict.setdefault("TEST", {})["TEMPLATE"] = template
        return
    from django.core import management
    from django.db.backends.sqlite3.creation import DatabaseCreation

    def start_from_template(connection):
        connection.ensure_connection()
        with closing(sqlite3.connect(template)) as source:
            source.backup(connection.connection)

    create_test_db = DatabaseCreation.create_test_db

    def create_from_template(creation, *args, **kwargs):
        call_command = management.call_command

        def migrate_or_copy(name, *command_args, **options):
            if name != "migrate":
                return call_command(name, *command_args, **options)
            start_from_template(connections[options.get("database", DEFAULT_DB_ALIAS)])
            return None

        # Only while the test database is created: a test that runs migrate itself still migrates.
        management.call_command = migrate_or_copy
        try:
            return create_test_db(creation, *args, **kwargs)
        finally:
            management.call_command = call_command

    DatabaseCreation.create_test_db = create_from_template
