"""Settings of the server the browser tests drive: the test settings, with the session's own
SQLite database and media folder (both in ``HUB_E2E_DIR``, a temporary folder), so the demo is
loaded once per session and the test database is never touched or flushed."""

import os
from pathlib import Path

from hub.settings.test import *  # noqa: F403

E2E_DIR = Path(os.environ["HUB_E2E_DIR"])
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": E2E_DIR / "site.sqlite3"}}
MEDIA_ROOT = E2E_DIR / "media"
# WhiteNoise serves the static files straight from the apps' folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
# Mail is written to files, so browser tests can follow the links in it (tests/e2e/conftest.py: mailbox).
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = E2E_DIR / "mail"
# The join form asks to confirm a submission sent sooner than this after the form was shown (2 s
# in production): wider here, so that a browser on a busy CI machine is surely "fast".
PARTNERS_JOIN_MIN_SECONDS = 6
# Image renditions served like nginx does in production (tests/e2e/urls.py).
ROOT_URLCONF = "tests.e2e.urls"
