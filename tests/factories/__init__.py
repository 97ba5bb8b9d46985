"""Factories for every page type and snippet (wagtail-factories / factory_boy), one module per app."""

from .home import HomePageFactory, StandardPageFactory
from .partners import (
    ContributorsPageFactory,
    JoinPageFactory,
    MembershipApplicationFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    PersonFactory,
)

__all__ = [
    "ContributorsPageFactory",
    "JoinPageFactory",
    "MembershipApplicationFactory",
    "HomePageFactory",
    "PartnerIndexPageFactory",
    "PartnerPageFactory",
    "PersonFactory",
    "StandardPageFactory",
]
