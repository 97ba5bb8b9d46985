"""Backup and restore: the database and every media file in one timestamped archive.

``manage.py backup`` writes ``hub-backup-<UTC time>.tar.gz`` holding

- ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or ``database.sqlite3`` (SQLite's
  online backup API: a consistent copy while the site runs);
- ``media/<name>`` for every file of the media storage, local disk or bucket alike (read through
  Django's storage API, so the same code serves both);
- ``manifest.json``: format, time, database engine, and each media file's size and SHA-256.

``manage.py restore <archive>`` loads it into an empty installation (same engine), writes the
media back through the storage, checks every file against the manifest, then runs ``migrate``
(which repairs the Site's address for this installation) and clears the caches.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from hub import frontend_cache

FORMAT = 1
PREFIX = "hub-backup-"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in one sentence."""


def storage_files(storage=default_storage, folder=""):
    """Every file name in the storage, recursively (empty when a local media folder does not exist)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names.extend(storage_files(storage, prefix + sub))
    return sorted(names)


def _engine():
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_env():
    """libpq's variables for the default database, so no password appears on a command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return path


def dump_database(folder):
    """Write the database into folder; return the file's path."""
    if _engine() == "postgresql":
        target = Path(folder) / "database.dump"
        subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            env=_pg_env(),
            check=True,
        )
        return target
    target = Path(folder) / "database.sqlite3"
    copy_sqlite(connection.settings_dict["NAME"], target)
    return target


def copy_sqlite(source, target):
    """Copy one SQLite database file onto another with SQLite's online backup API.

    The copy is consistent even while the site writes to the source; the target's previous
    content is replaced whole.
    """
    source_db = sqlite3.connect(source)
    target_db = sqlite3.connect(target)
    try:
        source_db.backup(target_db)
    finally:
        target_db.close()
        source_db.close()


def backup(output_dir, storage=default_storage):
    """Write a new archive into output_dir and return its path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    path = output_dir / f"{PREFIX}{created:%Y%m%dT%H%M%SZ}.tar.gz"
    partial = path.with_suffix(".partial")
    media = []
    with tempfile.TemporaryDirectory() as work:
        database = dump_database(work)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(database, arcname=database.name)
            for name in storage_files(storage):
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                media.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
                _add_bytes(archive, f"media/{name}", data)
            manifest = {
                "format": FORMAT,
                "created": created.isoformat(),
                "engine": connection.vendor,
                "database": database.name,
                "media": media,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    partial.chmod(0o600)  # password hashes and personal data: for the operator only
    partial.rename(path)
    return path


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o640
    archive.addfile(info, io.BytesIO(data))


def prune(output_dir, keep):
    """Delete all but the newest `keep` archives in output_dir; return the deleted paths."""
    archives = sorted(Path(output_dir).glob(f"{PREFIX}*.tar.gz"))
    old = archives[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def installation_is_empty():
    """True when the database holds nothing beyond what `migrate` makes (or has no tables yet)."""
    try:
        return not (
            get_image_model().objects.exists()
            or get_document_model().objects.exists()
            or Page.objects.filter(depth__gt=3).exists()
        )
    except DatabaseError:
        return True


def restore(archive_path, storage=default_storage, force=False):
    """Load an archive into this installation; return the number of media files written."""
    archive_path = Path(archive_path)
    if not force and not installation_is_empty():
        raise BackupError(
            "This installation already has content (pages, images or documents); restore into an empty one, "
            "or pass --force to replace it."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive_path.name} has archive format {manifest.get('format')}, expected {FORMAT}.")
        if manifest["engine"] != _engine():
            raise BackupError(
                f"{archive_path.name} holds a {manifest['engine']} database; this installation uses {connection.vendor}."
            )
        archive.extract(manifest["database"], work, filter="data")
        restore_database(Path(work) / manifest["database"])
        for entry in manifest["media"]:
            data = archive.extractfile(f"media/{entry['name']}").read()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise BackupError(f"{entry['name']} in {archive_path.name} does not match its checksum.")
            if storage.exists(entry["name"]):
                storage.delete(entry["name"])
            saved = storage.save(entry["name"], ContentFile(data))
            if saved != entry["name"]:
                raise BackupError(f"The media storage saved {entry['name']} as {saved}.")
    connection.close()
    call_command("migrate", interactive=False, verbosity=0)
    analyze()
    cache.clear()
    frontend_cache.purge_everything()
    return len(manifest["media"])


def analyze():
    """Give the query planner statistics of the restored data (``ANALYZE``, PostgreSQL and SQLite).

    pg_restore does not restore them: until autovacuum's next analyze, PostgreSQL planned a search
    over 10,000 articles as a nested loop that took 6 s, or hit the 30 s statement timeout.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def restore_database(dump, settings_dict=None):
    """Replace the database's content with the dump's (PostgreSQL or SQLite)."""
    settings_dict = settings_dict or connection.settings_dict
    connection.close()
    if dump.suffix == ".dump":
        subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                settings_dict["NAME"],
                str(dump),
            ],
            env=_pg_env(),
            check=True,
        )
        return
    copy_sqlite(dump, settings_dict["NAME"])


def default_output_dir():
    """Where `manage.py backup` writes when not told: HUB_BACKUP_DIR, else backups/ in the checkout."""
    return Path(os.environ.get("HUB_BACKUP_DIR") or settings.BASE_DIR / "backups")
