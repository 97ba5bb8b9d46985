"""Keep Wagtail's Locale rows and wagtail-localize's locale synchronisation in line with settings.

Adding a language is a settings change: the next ``migrate`` creates its Locale and makes it
synchronise from the default locale, so every page exists in it (as an alias until translated).
"""

from django.conf import settings
from django.db.models.signals import post_save


def ensure_locales(**kwargs):
    """Create missing Locales and their synchronisation from the default language (idempotent)."""
    from wagtail.models import Locale
    from wagtail_localize.models import LocaleSynchronization

    default, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == default.language_code:
            continue
        locale, _ = Locale.objects.get_or_create(language_code=code)
        LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": default})


def sync_trees_unless_raw(sender, instance, raw=False, **kwargs):
    """wagtail-localize's receiver, skipping raw saves: rows loaded from a fixture or restored after
    a flush (serialized rollback) are not new synchronisations, and may not have their foreign keys yet."""
    if not raw:
        instance.sync_trees()


def make_locale_sync_raw_safe():
    """Replace wagtail-localize's ``post_save`` receiver of LocaleSynchronization by one that ignores raw saves."""
    from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

    post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
    post_save.connect(sync_trees_unless_raw, sender=LocaleSynchronization, dispatch_uid="hub-locale-sync")
