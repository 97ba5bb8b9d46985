"""Cached, per-language lookups of small translatable snippets used on every page.

Each lookup costs one query per language until the snippet changes (signals clear it), so
pages keep a fixed query count however many topics they show.
"""

from django.conf import settings
from django.core.cache import cache

from wagtail.models import Locale, Page, Site

from hub.models import FooterText, SiteSettings, TopicLabel
from hub.registry import follow_link_providers, head_link_providers

TIMEOUT = 60 * 60


def _key(kind, language_code):
    return f"hub:{kind}:{language_code}"


def _cached(key, compute):
    """The cached value of ``key``, else ``compute()``, stored for ``TIMEOUT`` (signals clear it)."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def topic_labels(language_code):
    """``{topic_id: label}`` in ``language_code``, falling back to the default language's labels."""

    def compute():
        rows = TopicLabel.objects.filter(locale__language_code__in={language_code, settings.LANGUAGE_CODE}).values_list(
            "topic_id", "name", "locale__language_code"
        )
        labels = {}
        for topic_id, name, _code in sorted(rows, key=lambda row: row[2] == language_code):
            labels[topic_id] = name  # the active language's label wins: it sorts last
        return labels

    return _cached(_key("topic-labels", language_code), compute)


def locale_codes():
    """``{locale_id: language_code}`` of every Locale (cached: Locales change only when migrating)."""
    return _cached("hub:locale-codes", lambda: dict(Locale.objects.values_list("pk", "language_code")))


def footer_text(language_code):
    """The footer text of ``language_code``, else the default language's, else ''."""

    def compute():
        texts = dict(
            FooterText.objects.filter(locale__language_code__in={language_code, settings.LANGUAGE_CODE}).values_list(
                "locale__language_code", "text"
            )
        )
        return texts.get(language_code) or texts.get(settings.LANGUAGE_CODE, "")

    return _cached(_key("footer", language_code), compute)


def footer_links(site, language_code):
    """``[(title, url)]`` of the site's privacy and disclosure pages in ``language_code``."""

    def compute():
        site_settings = SiteSettings.for_site(site)
        links = []
        for page_id in (site_settings.privacy_policy_id, site_settings.disclosure_policy_id):
            page = Page.objects.filter(pk=page_id).first() if page_id else None
            if page is None:
                continue
            localized = page.get_translations(inclusive=True).live().filter(locale__language_code=language_code).first()
            localized = localized or (page if page.live else None)
            if localized is not None:
                links.append((localized.title, localized.get_url()))
        return links

    return _cached(_key(f"footer-links:{site.pk}", language_code), compute)


def head_links(language_code):
    """``[HeadLink]`` every page of ``language_code`` announces in its head, from the registered providers."""
    return _cached(
        _key("head-links", language_code),
        lambda: [link for provider in head_link_providers() for link in provider(language_code)],
    )


FOLLOW_LINKS_KEY = "hub:follow-links"


def follow_links(language_code):
    """``[FollowLink]`` of ``language_code`` from the registered providers (the footer's "follow by email").

    Made for every language at once and kept in one entry, so a page in any language finds it
    after the first page of any language (no query per language).
    """
    links = _cached(
        FOLLOW_LINKS_KEY,
        lambda: {
            code: [link for provider in follow_link_providers() if (link := provider(code)) is not None]
            for code, _name in settings.LANGUAGES
        },
    )
    return links.get(language_code, [])


def clear_labels(**kwargs):
    """Forget every cached label, footer text, footer link and head link (any language, any site)."""
    keys = [
        _key(kind, code)
        for kind in ("topic-labels", "footer", "head-links")
        for code, _name in settings.LANGUAGES
    ]
    keys.append("hub:locale-codes")
    keys += [
        _key(f"footer-links:{site_id}", code)
        for site_id in Site.objects.values_list("pk", flat=True)
        for code, _name in settings.LANGUAGES
    ]
    cache.delete_many([*keys, FOLLOW_LINKS_KEY])


def create_default_label(sender, instance, created, **kwargs):
    """Every new topic gets its label in the default language, from its name."""
    if created:
        locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
        if locale is not None:
            TopicLabel.objects.get_or_create(topic=instance, locale=locale, defaults={"name": instance.name})
