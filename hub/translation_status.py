"""Per-locale translation status of pages and translatable snippets, for the admin report.

A page or snippet in a target locale is:
- ``translated`` when a real translation exists and nothing changed in the source since;
- ``outdated`` when the source was published (pages) or re-synchronised (snippets) after the
  translation was last written;
- ``missing`` when there is no translation, or only an alias of the source.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.urls import reverse

from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import TranslationLog, TranslationSource

TRANSLATED, OUTDATED, MISSING = "translated", "outdated", "missing"


@dataclass
class Cell:
    """The status of one object in one locale, with the admin link that acts on it."""

    status: str
    url: str = ""


@dataclass
class Row:
    """One source object and its status in each target locale."""

    kind: str
    title: str
    edit_url: str
    cells: dict = field(default_factory=dict)


def _latest_logs(source_ids):
    """``{(source_id, locale_id): last translation time}`` in one query."""
    rows = (
        TranslationLog.objects.filter(source_id__in=source_ids)
        .values("source_id", "locale_id")
        .annotate(last=Max("created_at"))
    )
    return {(row["source_id"], row["locale_id"]): row["last"] for row in rows}


def _sources_by_key(translation_keys, locale):
    """``{translation_key: TranslationSource}`` for the given objects' sources in ``locale``."""
    sources = TranslationSource.objects.filter(locale=locale, object_id__in=list(translation_keys))
    return {str(source.object_id): source for source in sources}


def page_rows(target_locales):
    """Status rows for every page of the default locale below the tree root (fixed query count)."""
    default = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    pages = list(Page.objects.filter(depth__gt=1).select_related("locale").order_by("path"))
    by_key = defaultdict(dict)
    for page in pages:
        by_key[page.translation_key][page.locale_id] = page
    sources = _sources_by_key(by_key.keys(), default)
    logs = _latest_logs([source.pk for source in sources.values()])
    rows = []
    for page in pages:
        if page.locale_id != default.pk:
            continue
        row = Row("page", page.get_admin_display_title(), reverse("wagtailadmin_pages:edit", args=[page.pk]))
        source = sources.get(str(page.translation_key))
        for locale in target_locales:
            translated = by_key[page.translation_key].get(locale.pk)
            if translated is None or translated.alias_of_id:
                row.cells[locale.language_code] = Cell(
                    MISSING, reverse("wagtail_localize:submit_page_translation", args=[page.pk])
                )
                continue
            last = logs.get((source.pk, locale.pk)) if source else None
            changed = page.last_published_at
            status = OUTDATED if last and changed and changed > last else TRANSLATED
            url = (
                reverse("wagtail_localize:update_translations", args=[source.pk])
                if status == OUTDATED
                else reverse("wagtailadmin_pages:edit", args=[translated.pk])
            )
            row.cells[locale.language_code] = Cell(status, url)
        rows.append(row)
    return rows


def snippet_rows(target_locales):
    """Status rows for every translatable snippet in the default locale (a few queries per model)."""
    default = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    rows = []
    for model in get_snippet_models():
        if not issubclass(model, TranslatableMixin):
            continue
        content_type = ContentType.objects.get_for_model(model)
        objects = list(model.objects.all())
        by_key = defaultdict(dict)
        for obj in objects:
            by_key[obj.translation_key][obj.locale_id] = obj
        sources = _sources_by_key(by_key.keys(), default)
        logs = _latest_logs([source.pk for source in sources.values()])
        url_namespace = model.snippet_viewset.get_url_name("edit")
        for obj in objects:
            if obj.locale_id != default.pk:
                continue
            row = Row(str(model._meta.verbose_name), str(obj), reverse(url_namespace, args=[obj.pk]))
            source = sources.get(str(obj.translation_key))
            for locale in target_locales:
                translated = by_key[obj.translation_key].get(locale.pk)
                if translated is None:
                    url = reverse(
                        "wagtail_localize:submit_snippet_translation",
                        args=[content_type.app_label, content_type.model, obj.pk],
                    )
                    row.cells[locale.language_code] = Cell(MISSING, url)
                    continue
                last = logs.get((source.pk, locale.pk)) if source else None
                outdated = bool(source and last and source.last_updated_at > last)
                url = (
                    reverse("wagtail_localize:update_translations", args=[source.pk])
                    if outdated
                    else reverse(url_namespace, args=[translated.pk])
                )
                row.cells[locale.language_code] = Cell(OUTDATED if outdated else TRANSLATED, url)
            rows.append(row)
    return rows


def summary(rows, target_locales):
    """``{language_code: {status: count}}``."""
    counts = {locale.language_code: {TRANSLATED: 0, OUTDATED: 0, MISSING: 0} for locale in target_locales}
    for row in rows:
        for code, cell in row.cells.items():
            counts[code][cell.status] += 1
    return counts
