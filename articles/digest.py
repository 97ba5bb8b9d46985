"""The articles' part of the topic digests (``hub.registry.register_digest_source``)."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hub.registry import DigestItem, DigestSection

from .models import ArticlePage


def new_articles(locale, since, until):
    """Live, public articles written in ``locale`` (not aliases of untranslated ones: each language's
    digest has only its own items) first published in ``[since, until)``, newest first."""
    articles = (
        ArticlePage.objects.published()
        .filter(locale=locale, alias_of__isnull=True)
        .filter(first_published_at__gte=since, first_published_at__lt=until)
        .newest_first()
        .defer_streamfields()
        .prefetch_related("tagged_items")
    )
    items = [
        DigestItem(
            page_id=article.pk,
            title=article.title,
            url=article.get_full_url() or "",
            summary=article.summary,
            detail=f"{article.get_kind_display()} · {date_format(article.date, 'DATE_FORMAT')}",
            topic_ids=frozenset(item.tag_id for item in article.tagged_items.all()),
        )
        for article in articles
    ]
    return DigestSection("articles", _("New articles"), items)
