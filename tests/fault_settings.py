"""The production settings, for the servers that tests/test_faults.py starts and breaks.

Unchanged except for what a test machine lacks: static files are served from the apps' folders
(no collectstatic), mail goes to the test's own SMTP servers without TLS, and
``HUB_TEST_LOCAL_CACHE`` swaps in a per-process cache (which must refuse to start).
"""

import os

from hub.settings.production import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
EMAIL_USE_TLS = False
if os.environ.get("HUB_TEST_LOCAL_CACHE"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
