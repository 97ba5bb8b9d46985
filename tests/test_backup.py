"""Backup and restore (hub/backup.py, `manage.py backup` / `manage.py restore`).

The full round trip, comparing every public page of the sitemap and every document of the
restored installation with the original's, runs in the production smoke test on PostgreSQL and
an S3 bucket (tests/deploy/). These check the archive, the SQLite copy and the safety rules.
"""

import hashlib
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from hub import backup


@pytest.fixture
def uploads(db):
    """An image and a document, as an editor would upload them."""
    image = get_image_model().objects.create(title="Street lights", file=get_test_image_file("lights.png"))
    document = get_document_model().objects.create(
        title="Guideline", file=ContentFile(b"%PDF-1.4 guideline bytes", name="guideline.pdf")
    )
    return image, document


@pytest.fixture
def fake_dump(monkeypatch):
    """The test database lives in memory inside a transaction: stand in for its dump."""

    def dump(folder):
        path = Path(folder) / "database.sqlite3"
        path.write_bytes(b"database")
        return path

    monkeypatch.setattr(backup, "dump_database", dump)


def read_archive(path):
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        files = {entry["name"]: archive.extractfile(f"media/{entry['name']}").read() for entry in manifest["media"]}
        database = archive.extractfile(manifest["database"]).read()
    return manifest, files, database


def test_backup_holds_the_database_and_every_media_file(uploads, fake_dump, tmp_path, capsys):
    image, document = uploads
    call_command("backup", output_dir=str(tmp_path / "backups"))
    [path] = (tmp_path / "backups").glob("hub-backup-*.tar.gz")
    assert "Backup written" in capsys.readouterr().out
    assert path.stat().st_mode & 0o077 == 0, "the archive holds password hashes: only its owner may read it"

    manifest, files, database = read_archive(path)
    assert database == b"database"
    assert manifest["engine"] == connection.vendor  # the suite runs on SQLite and on PostgreSQL
    assert files[document.file.name] == b"%PDF-1.4 guideline bytes"
    with image.file.open("rb") as original:
        assert files[image.file.name] == original.read()
    for entry in manifest["media"]:
        assert hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"]


def test_sqlite_copy_replaces_the_target_with_every_row(tmp_path):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE page (title TEXT)")
        db.executemany("INSERT INTO page VALUES (?)", [("Home",), ("Articles",)])
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE stale (x INTEGER)")

    backup.copy_sqlite(source, target)

    with sqlite3.connect(target) as db:
        assert sorted(row[0] for row in db.execute("SELECT title FROM page")) == ["Articles", "Home"]
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'stale'").fetchall()


def test_restore_refuses_an_installation_that_has_content(uploads, tmp_path):
    with pytest.raises(CommandError, match="already has content"):
        call_command("restore", str(tmp_path / "hub-backup-20260101T000000Z.tar.gz"))


def test_prune_keeps_the_newest_archives(tmp_path):
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (tmp_path / f"hub-backup-{stamp}.tar.gz").write_bytes(b"")
    deleted = backup.prune(tmp_path, keep=2)
    assert [path.name for path in deleted] == ["hub-backup-20260101T000000Z.tar.gz"]
    assert len(list(tmp_path.glob("hub-backup-*"))) == 2
