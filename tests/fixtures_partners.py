"""Fixtures for the partners tests: the partners section in every locale, partner users."""

import pytest

from django.contrib.auth import get_user_model

from partners.models import PartnerType
from partners.permissions import setup_board, setup_partner_access
from tests.conftest import translate_page
from tests.factories import (
    ContributorsPageFactory,
    JoinPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
)


@pytest.fixture
def partners_section(home):
    """Directory, contributors and join pages, each translated into es, fr and ar."""
    pages = {
        "index": PartnerIndexPageFactory(parent=home, introduction="Our partners."),
        "contributors": ContributorsPageFactory(parent=home),
        "join": JoinPageFactory(parent=home),
    }
    for page in pages.values():
        translate_page(page)
    return pages


@pytest.fixture
def two_partners(partners_section):
    """Organisations A and B with their groups, and the board review workflow."""
    index = partners_section["index"]
    a = PartnerPageFactory(parent=index, title="Alpha City", slug="alpha", partner_type=PartnerType.CITY_AUTHORITY)
    b = PartnerPageFactory(parent=index, title="Beta Labs", slug="beta", partner_type=PartnerType.SECURITY_RESEARCH)
    setup_board()
    return {"a": a, "b": b, "group_a": setup_partner_access(a), "group_b": setup_partner_access(b)}


def make_user(username, group=None, **extra):
    """A user with a known password, optionally in ``group``."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "a-long-test-password", **extra)
    if group is not None:
        user.groups.add(group)
    return user


__all__ = ["make_user", "partners_section", "two_partners"]
