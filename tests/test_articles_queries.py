"""Query counts of the article page, the listing, the feeds and search do not grow with content.

Each test measures every page at two library sizes and asserts the counts are equal, and
under a cap so that a new query per page is a conscious change. The larger pair is slow.
"""

import datetime

import pytest

from articles.models import ArticleAuthor, ArticleKind, ArticlePage, ArticlePageTag
from hub.models import Topic
from tests.factories import ArticleIndexPageFactory, PersonFactory
from tests.helpers import query_counts, translate_page
from tests.html import soup

URLS = {
    "article": "/en/articles/report-5/",
    "listing": "/en/articles/?tag=topic-1&page=2",  # a filtered page after the first
    "feed": "/en/articles/feed.rss",
    "search": "/en/search/?q=report",
}
CAPS = {"article": 22, "listing": 20, "feed": 14, "search": 18}  # measured (feed: translated topic labels; search: its type and topic filters)
SIZES = [
    pytest.param(30, 60, id="30-60"),
    pytest.param(30, 500, id="30-500", marks=pytest.mark.slow),
]


class Library:
    """Live articles with two topics and two authors each, added without revisions for speed."""

    def __init__(self, home):
        self.index = ArticleIndexPageFactory(parent=home)
        translate_page(self.index, codes=["es"])
        self.topics = [Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(5)]
        self.people = [PersonFactory(name=f"Author {n}") for n in range(6)]
        self.size = 0

    def grow(self, size):
        """Add articles until there are ``size``."""
        kinds = list(ArticleKind.values)
        articles = []
        for n in range(self.size, size):
            article = ArticlePage(
                title=f"Smart city report {n}",
                slug=f"report-{n}",
                kind=kinds[n % 3],
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
                summary=f"Findings of report {n}.",
                locale=self.index.locale,
                live=True,
            )
            self.index.add_child(instance=article)
            articles.append((n, article))
        ArticlePageTag.objects.bulk_create(
            ArticlePageTag(content_object=article, tag=self.topics[(n + k) % 5])
            for n, article in articles
            for k in (0, 1)
        )
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(page=article, person=self.people[(n + k) % 6], sort_order=k)
            for n, article in articles
            for k in (0, 1)
        )
        self.size = size


@pytest.mark.django_db
@pytest.mark.parametrize(("small", "large"), SIZES)
def test_query_counts_do_not_grow_with_content(client, home, small, large):
    library = Library(home)
    library.grow(small)
    before = query_counts(client, URLS.values())
    library.grow(large)
    after = query_counts(client, URLS.values())
    assert after == before
    for name, url in URLS.items():
        assert before[url] <= CAPS[name], (name, before[url])
    assert len(soup(client.get(URLS["listing"])).select(".article-card")) == 10
