"""RSS 2.0 and Atom feeds of one locale's articles, served by ArticleIndexPage's routes."""

from datetime import UTC, datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from hub.labels import topic_labels


class LanguageRss(Rss201rev2Feed):
    """RSS 2.0 whose items may name their own language (``dc:language``): untranslated articles."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class LanguageAtom(Atom1Feed):
    """Atom 1.0 whose entries may name their own language (``xml:lang``): untranslated articles."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class ArticleRssFeed(Feed):
    """The newest articles of the index page's locale.

    Every address (links, guids, the Atom id) is absolute on the Site's public address, never on
    the host the request came with (Django would add that to relative links).
    """

    feed_type = LanguageRss
    file_name = "feed.rss"

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, page):
        return _("%(title)s · Securing Smart Cities") % {"title": page.title}

    def link(self, page):
        return page.get_full_url(self.request)

    def feed_url(self, page):
        return page.get_full_url(self.request) + self.file_name

    def description(self, page):
        return page.introduction or _("Research, news and guidelines from Securing Smart Cities.")

    author_name = "Securing Smart Cities"

    def items(self, page):
        return page.feed_items()

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return article.get_full_url(self.request)

    def item_guid(self, article):
        return article.get_full_url(self.request)

    def item_pubdate(self, article):
        # The publication date, at midnight UTC.
        return datetime.combine(article.date, time.min, tzinfo=UTC)

    def item_updateddate(self, article):
        return article.last_published_at

    def item_author_name(self, article):
        return ", ".join(person.name for person in article.author_list) or None

    def item_categories(self, article):
        """The article's topics as labelled in the feed's language (one cached lookup for all)."""
        labels = topic_labels(translation.get_language())
        return [labels.get(item.tag_id) or item.tag.name for item in article.tagged_items.all()]

    def item_extra_kwargs(self, article):
        """An untranslated article (an alias of its source) is marked as being in the source language."""
        return {"language": settings.LANGUAGE_CODE} if article.alias_of_id else {}


class ArticleAtomFeed(ArticleRssFeed):
    """The same feed in Atom 1.0."""

    feed_type = LanguageAtom
    file_name = "feed.atom"

    def subtitle(self, page):
        return self.description(page)
