"""Install = migrate: ``manage.py migrate`` alone turns an empty database into a working, empty,
translatable site.

- Fixed records are data migrations: the English home page (``home``) and each section page (in
  the app that owns it), like Wagtail's own root page and default Site.
- What derives from settings runs on ``post_migrate``: the locales (``hub.locales``), the Site's
  public address (``hub.site_address``), the database cache's table (``hub.cache``), and the translation of the installed pages into every
  locale (each app's ``apps.py``, with ``translate_installed``).
- Groups and workflows need every app's permissions, which Django creates app by app during
  ``post_migrate``: they are connected to ``permissions_ready``, sent once they all exist.

Every step is idempotent, so ``migrate`` can run any number of times.
"""

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.dispatch import Signal
from django.utils import translation

from wagtail.models import Locale, Page

from hub.translation import is_translated, translate

# Sent once per migrate (or flush), after every app's post_migrate, with the same arguments.
permissions_ready = Signal()


def _last_app_with_models():
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def create_cache_table(sender, using="default", verbosity=1, **kwargs):
    """post_migrate: the table of the database cache (the embedded shared cache), when it is configured."""
    call_command("createcachetable", database=using, verbosity=0)


def send_permissions_ready(sender, **kwargs):
    """post_migrate: relay ``permissions_ready`` after the last app's turn.

    Django sends ``post_migrate`` once per app with models, in INSTALLED_APPS order, and makes each
    app's content types and permissions in that app's turn; the last app (Django's own sessions)
    has none that groups use.
    """
    # After ``flush`` there is no page tree (Wagtail's own migration data is gone with everything
    # else): there is nothing to give groups rights on until the data is restored.
    if sender is _last_app_with_models() and Page.objects.filter(depth=1).exists():
        kwargs.pop("signal", None)
        permissions_ready.send(sender=sender, **kwargs)


def translate_installed(model, messages):
    """Translate the installed pages of ``model`` into every locale that has no real translation yet.

    ``messages`` are lazy gettext strings whose English text the page holds (its default title):
    each locale gets them from the interface catalogues. A page an editor has renamed keeps its
    English text until a translator translates it. Returns how many translations were written.
    """
    default = Locale.get_default()
    written = 0
    for page in model.objects.filter(locale=default, alias_of__isnull=True):
        missing = [
            locale.language_code
            for locale in Locale.objects.exclude(pk=default.pk)
            if not is_translated(page, locale.language_code)
        ]
        if missing:
            written += translate(page, _catalogue_strings(messages, missing), languages=missing)
    return written


def _catalogue_strings(messages, languages):
    """``{english: {code: translation}}`` of lazy gettext ``messages``, as ``translate`` takes them."""
    strings = {}
    for message in messages:
        with translation.override(settings.LANGUAGE_CODE):
            source = str(message)
        strings[source] = {}
        for code in languages:
            with translation.override(code):
                strings[source][code] = str(message)
    return strings
