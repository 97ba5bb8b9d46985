"""Factories for the article library."""

import datetime

import factory

import wagtail_factories

from articles.models import ArticleAuthor, ArticleIndexPage, ArticleKind, ArticlePage


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    """The article library; give it ``parent`` (the home page)."""

    title = "Articles"
    slug = "articles"
    introduction = "Research, news and guidelines."

    class Meta:
        model = ArticleIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article; give it ``parent`` (the article index)."""

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    kind = ArticleKind.NEWS
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    summary = factory.LazyAttribute(lambda page: f"Summary of {page.title}.")

    class Meta:
        model = ArticlePage


class ArticleAuthorFactory(factory.django.DjangoModelFactory):
    """An author line of an article."""

    page = factory.SubFactory(ArticlePageFactory)
    person = factory.SubFactory("tests.factories.partners.PersonFactory")

    class Meta:
        model = ArticleAuthor
