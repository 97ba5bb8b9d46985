"""Keep Wagtail's Locale rows and wagtail-localize's locale synchronisation in line with settings.

Adding a language is a settings change: the next ``migrate`` creates its Locale and makes it
synchronise from the default locale, so every page exists in it (as an alias until translated).
"""

from django.conf import settings


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
