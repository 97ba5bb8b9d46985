"""Factories for every page type and snippet (wagtail-factories / factory_boy), one module per app."""

from .articles import ArticleAuthorFactory, ArticleIndexPageFactory, ArticlePageFactory
from .digests import SubscribePageFactory
from .events import EventIndexPageFactory, EventPageFactory
from .groups import DraftPageFactory, MeetingPageFactory, WorkingGroupIndexPageFactory, WorkingGroupPageFactory
from .home import HomePageFactory, StandardPageFactory
from .partners import (
    ContributorsPageFactory,
    JoinPageFactory,
    MembershipApplicationFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    PersonFactory,
)
from .registrations import RegistrationFactory, RegistrationSettingsFactory

__all__ = [
    "EventIndexPageFactory",
    "EventPageFactory",
    "ContributorsPageFactory",
    "JoinPageFactory",
    "MembershipApplicationFactory",
    "ArticleAuthorFactory",
    "ArticleIndexPageFactory",
    "ArticlePageFactory",
    "DraftPageFactory",
    "HomePageFactory",
    "MeetingPageFactory",
    "PartnerIndexPageFactory",
    "PartnerPageFactory",
    "PersonFactory",
    "RegistrationFactory",
    "RegistrationSettingsFactory",
    "StandardPageFactory",
    "SubscribePageFactory",
    "WorkingGroupIndexPageFactory",
    "WorkingGroupPageFactory",
]
