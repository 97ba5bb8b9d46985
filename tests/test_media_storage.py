"""Media in an S3-compatible bucket (HUB_MEDIA_STORAGE=s3, hub/storage.py), and documents behind nginx.

moto stands in for the bucket here (in process); the production smoke test (tests/deploy/) runs
the same flow against moto's standalone server with two app instances behind nginx.
"""

import importlib
import io
import os
from unittest import mock

import boto3
import pytest
from moto import mock_aws
from PIL import Image

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from hub.settings import base
from hub.settings.base import media_storage

BUCKET = "hub-media-test"


@pytest.fixture
def bucket(settings):
    """Uploads go to a (mocked) bucket, with the settings hub.settings.base derives from the environment."""
    environment = {
        "HUB_MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    with mock_aws(), mock.patch.dict(os.environ, environment):
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        configured = importlib.reload(base)
        settings.STORAGES = {**settings.STORAGES, "default": configured.STORAGES["default"]}
        settings.FILE_UPLOAD_HANDLERS = configured.FILE_UPLOAD_HANDLERS
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = configured.FILE_UPLOAD_MAX_MEMORY_SIZE
        yield s3
    importlib.reload(base)


@pytest.fixture
def editor(db, client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client.force_login(user)
    return user


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def bucket_keys(s3):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def disk_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()] if settings.MEDIA_ROOT.exists() else []


def test_admin_uploads_go_to_the_bucket_and_nothing_to_disk(bucket, client, editor, settings):
    response = client.post(
        "/admin/images/add/",
        {"title": "Street lights", "file": SimpleUploadedFile("lights.png", png_bytes(), "image/png"), "collection": 1},
    )
    assert response.status_code == 302, response.content[:2000]
    # 3 MB: past Django's default in-memory limit (2.5 MB), where it would spool to a temporary file.
    large_pdf = b"%PDF-1.4 guide" + b"0" * (3 * 1024 * 1024)
    with mock.patch(
        "django.core.files.uploadhandler.TemporaryUploadedFile", side_effect=AssertionError("spooled to disk")
    ):
        response = client.post(
            "/admin/documents/add/",
            {"title": "Guideline", "file": SimpleUploadedFile("guide.pdf", large_pdf, "application/pdf"), "collection": 1},
        )
    assert response.status_code == 302, response.content[:2000]

    image = get_image_model().objects.get(title="Street lights")
    rendition = image.get_rendition("max-160x80")
    keys = bucket_keys(bucket)
    assert "original_images/lights.png" in keys
    assert "documents/guide.pdf" in keys
    assert rendition.file.name in keys
    # Renditions are addressed under MEDIA_URL (nginx proxies /media/images/ to the bucket).
    assert rendition.url == f"/media/{rendition.file.name}"
    assert disk_files(settings) == []


def test_documents_stream_from_the_bucket_through_the_serve_view(bucket, client, editor):
    document = get_document_model().objects.create(
        title="Guideline", file=SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide bytes", "application/pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert "Location" not in response
    assert b"".join(response.streaming_content) == b"%PDF-1.4 guide bytes"
    assert response["Content-Disposition"].startswith("attachment")


def test_documents_on_local_disk_are_handed_to_nginx(client, editor, settings):
    settings.SENDFILE_BACKEND = "hub.sendfile"
    settings.HUB_X_ACCEL_PREFIX = "/protected-media/"
    document = get_document_model().objects.create(
        title="Guideline", file=SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide bytes", "application/pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/documents/guide.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b""


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"HUB_MEDIA_STORAGE": "ftp"}, "must be 'local' or 's3'"),
        ({"HUB_MEDIA_STORAGE": "s3"}, "needs AWS_STORAGE_BUCKET_NAME"),
    ],
)
def test_a_wrong_media_switch_stops_start_up_with_one_sentence(environment, message):
    with mock.patch.dict(os.environ, environment, clear=False), pytest.raises(ImproperlyConfigured, match=message):
        os.environ.pop("AWS_STORAGE_BUCKET_NAME", None)
        media_storage()
