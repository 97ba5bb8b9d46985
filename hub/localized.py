"""Related objects in one locale, by ``translation_key``, with one query for a whole set.

Relations between translatable objects (authors, speakers, organisers, related partners) are
synchronised, so every translation of a page points at the source-language objects; a page
shows each one's version in its own locale when there is one. Wagtail's ``.localized`` does the
same for one object at a time, which costs a query per object.
"""


def translations_by_key(objects, locale, queryset=None):
    """``{translation_key: object}`` of the versions of ``objects`` in ``locale`` (a Locale or its pk).

    ``queryset`` limits what counts as a version (e.g. ``PartnerPage.objects.live()``); it defaults
    to the model's default manager. One query, none when ``objects`` is empty.
    """
    objects = [obj for obj in objects if obj is not None]
    if not objects:
        return {}
    if queryset is None:
        queryset = type(objects[0])._default_manager.all()
    locale_id = getattr(locale, "pk", locale)
    keys = {obj.translation_key for obj in objects}
    return {
        version.translation_key: version for version in queryset.filter(translation_key__in=keys, locale_id=locale_id)
    }


def localized(objects, locale, queryset=None):
    """``objects`` in order, each replaced by its version in ``locale`` when there is one (one query).

    ``None`` entries are dropped; see ``translations_by_key`` for ``queryset``.
    """
    objects = [obj for obj in objects if obj is not None]
    versions = translations_by_key(objects, locale, queryset)
    return [versions.get(obj.translation_key, obj) for obj in objects]
