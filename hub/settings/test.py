"""Tests: fast hashing, in-memory cache and mail, immediate tasks."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The test client's login() calls authenticate() without a request, which django-axes refuses;
# tests/test_security.py turns the lockout back on where it is under test.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = False
# Off by default so tests see every change at once; tests/test_page_cache.py turns it on.
HUB_PAGE_CACHE_SECONDS = 0
# One process: an in-memory cache is shared by everything a test does (tests that need the
# database cache or Redis configure it).
# Renditions as production without Redis: none kept (query counts match the database cache's).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
HUB_PUBLIC_URL = ""  # the Site follows WAGTAILADMIN_BASE_URL, whatever the environment says
MEDIA_ROOT = BASE_DIR / "media-test"  # noqa: F405
# Local files whatever the environment says (tests/test_media_storage.py switches to a bucket).
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}  # noqa: F405
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator() or {  # noqa: F405
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
    "OPTIONS": {},
}
# Demo content (`manage.py load_demo_content`): development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
