"""Shared fixtures: the site tree in every locale, and catalogues compiled once per run."""

import shutil

import pytest

from django.conf import settings
from django.core.cache import cache

from wagtail.models import Locale, Page

from home.models import HomePage
from hub.translation import translate


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Interface strings need their .mo files; compile them (pure Python) before any test."""
    from hub.management.commands.compile_catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploads go to a throwaway folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests roll back the database without signals; start each one with an empty cache."""
    cache.clear()


@pytest.fixture
def locales(db):
    """Every enabled Locale by language code (created by the post_migrate hook)."""
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def home(locales):
    """The English home page that migrate installed (the default Site's root), its translations
    retitled per locale; the installed sections are removed so that each test builds its own."""
    Page.objects.filter(depth__gt=2).delete()
    home = HomePage.objects.get(locale=locales[settings.LANGUAGE_CODE])
    for code, locale in locales.items():
        if code == settings.LANGUAGE_CODE:
            continue
        translated = home.get_translation(locale)
        translated.title = f"Home ({code})"
        translated.hero_heading = f"Hero ({code})"
        translated.save_revision().publish()
    return home


def translate_page(page, codes=None, suffix=True):
    """Translate ``page`` through wagtail-localize (replacing any alias) and publish it.

    Titles get a language suffix ("About (es)") so tests can tell the versions apart.
    """
    codes = codes or [code for code, _name in settings.LANGUAGES if code != page.locale.language_code]
    strings = {page.title: {code: f"{page.title} ({code})" for code in codes}} if suffix else {}
    translate(page, strings, languages=codes)
    return {code: page.get_translation(Locale.objects.get(language_code=code)).specific for code in codes}
