"""Settings for building the benchmark databases: production settings plus the demo and bench apps.

The servers under test run ``hub.settings.production`` itself; this module only loads the demo
content and the generated data (``make bench`` sets the variables production requires).
"""

from hub.settings.production import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "demo", "bench"]  # noqa: F405
# Work that production hands to the task worker (translations, search indexing) happens at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECURE_SSL_REDIRECT = False
