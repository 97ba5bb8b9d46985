"""Apply translations through wagtail-localize's own records, so the admin shows them as real translations."""

from django.conf import settings

from wagtail.models import DraftStateMixin, Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource
from wagtail_localize.strings import StringValue

# Every content language but the default (source) one.
TRANSLATED_LANGUAGES = tuple(
    code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE
)


def translated_segment(strings, source, code):
    """The segment data translating ``source`` (a segment's data) into ``code``, or None.

    ``strings`` holds plain text; a plain-text field's segment keeps its text HTML-escapes
    ("Officer &amp; Founder"), so it is looked up unescaped too and its translation escaped alike.
    """
    text = strings.get(source, {}).get(code)
    if text:
        return text
    plain = StringValue(source).render_text()
    text = strings.get(plain, {}).get(code) if plain != source else None
    return StringValue.from_plaintext(text).data if text else None


def translate(instance, strings, languages=TRANSLATED_LANGUAGES):
    """Translate ``instance`` through wagtail-localize's own records, and publish the result.

    ``strings`` maps each English source string to ``{language_code: translation}``. The admin
    then shows real translations that editors can update when the source changes. Strings
    without a translation fall back to the source text. Returns how many locales were written.
    """
    if isinstance(instance, Page):
        instance = instance.specific
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    segments = list(source.stringsegment_set.select_related("string", "context"))
    written = 0
    for code in languages:
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
        for segment in segments:
            text = translated_segment(strings, segment.string.data, code)
            if text:
                StringTranslation.objects.update_or_create(
                    translation_of=segment.string,
                    locale=locale,
                    context=segment.context,
                    defaults={"data": text},
                )
        if isinstance(instance, DraftStateMixin):
            # Publish synchronously: wagtail-localize defers publishing to on_commit with a
            # snapshot of the page, which would undo tree changes made later in the same transaction.
            translation.save_target(publish=False)
            instance.get_translation(locale).get_latest_revision().publish()
        else:
            translation.save_target(publish=True)
        written += 1
    return written


def is_translated(instance, code):
    """True when ``instance`` has a real (non-alias) translation in language ``code``."""
    translations = instance.get_translations().filter(locale__language_code=code)
    if isinstance(instance, Page):
        translations = translations.filter(alias_of__isnull=True)
    return translations.exists()
