"""Query counts of the article page, the listing, the feeds and search do not grow with content."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleAuthor, ArticleKind, ArticlePage, ArticlePageTag
from hub.models import Topic
from tests.factories import ArticleIndexPageFactory, PersonFactory
from tests.helpers import translate_page

# Measured: the same at 10 and 500 articles (search: 13 at 10, 12 at 500: fewer page types on a result page).
MAX_QUERIES = {"article": 24, "listing": 21, "feed": 14, "search": 14}


def build_library(home, size):
    """``size`` live articles with two topics and two authors each, added without revisions for speed."""
    index = ArticleIndexPageFactory(parent=home)
    translate_page(index, codes=["es"])
    topics = [Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(5)]
    people = [PersonFactory(name=f"Author {n}") for n in range(6)]
    kinds = list(ArticleKind.values)
    articles = []
    for n in range(size):
        article = ArticlePage(
            title=f"Smart city report {n}",
            slug=f"report-{n}",
            kind=kinds[n % 3],
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
            summary=f"Findings of report {n}.",
            locale=index.locale,
            live=True,
        )
        index.add_child(instance=article)
        articles.append(article)
    ArticlePageTag.objects.bulk_create(
        ArticlePageTag(content_object=article, tag=topics[(n + k) % 5])
        for n, article in enumerate(articles)
        for k in range(2)
    )
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(page=article, person=people[(n + k) % 6], sort_order=k)
        for n, article in enumerate(articles)
        for k in range(2)
    )
    return index, articles


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 500])
def test_query_counts_do_not_grow_with_content(client, home, size):
    index, articles = build_library(home, size)
    middle = articles[size // 2]
    client.get("/en/")  # warm caches that are per process, not per request (content types, site)
    counts = {
        "article": count(client, f"/en/articles/{middle.slug}/"),
        "listing": count(client, "/en/articles/?tag=topic-1&page=2"),
        "feed": count(client, "/en/articles/feed.rss"),
        "search": count(client, "/en/search/?q=report"),
    }
    print(size, counts)
    for name, limit in MAX_QUERIES.items():
        assert counts[name] <= limit, (name, counts[name])
