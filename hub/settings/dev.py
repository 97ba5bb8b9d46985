"""Development: debug on, a throwaway key, mail to the console."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator() or {  # noqa: F405
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
    "OPTIONS": {},
}
# Demo content (`manage.py load_demo_content`): development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
