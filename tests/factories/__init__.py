"""Factories for every page type and snippet (wagtail-factories / factory_boy), one module per app."""

from .home import HomePageFactory, StandardPageFactory
from .partners import PartnerIndexPageFactory, PartnerPageFactory, PersonFactory

__all__ = [
    "HomePageFactory",
    "PartnerIndexPageFactory",
    "PartnerPageFactory",
    "PersonFactory",
    "StandardPageFactory",
]
