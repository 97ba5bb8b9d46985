"""Factories for every page type and snippet (wagtail-factories / factory_boy), one module per app."""

from .articles import ArticleAuthorFactory, ArticleIndexPageFactory, ArticlePageFactory
from .home import HomePageFactory, StandardPageFactory
from .partners import PartnerIndexPageFactory, PartnerPageFactory, PersonFactory

__all__ = [
    "ArticleAuthorFactory",
    "ArticleIndexPageFactory",
    "ArticlePageFactory",
    "HomePageFactory",
    "PartnerIndexPageFactory",
    "PartnerPageFactory",
    "PersonFactory",
    "StandardPageFactory",
]
