"""With the page cache on, listings whose pagination copies the query string still render.

The production smoke test found /en/partners/ answering 500 under production settings: the
page cache's recording ``request.GET`` could not be copied by ``{% querystring %}``.
"""

import pytest

from partners.models import PARTNERS_PER_PAGE
from tests.factories import PartnerPageFactory

pytestmark = pytest.mark.django_db


def test_a_paginated_listing_renders_with_its_query_string_in_the_links(client, partners_section, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300
    for number in range(PARTNERS_PER_PAGE + 1):
        PartnerPageFactory(parent=partners_section["index"], title=f"Partner {number:02d}", slug=f"partner-{number:02d}")

    first = client.get("/en/partners/?sort=name")
    assert first.status_code == 200
    assert 'rel="next"' in first.content.decode()
    assert "sort=name" in first.content.decode() and "page=2" in first.content.decode()
    # The links repeat every parameter, so a different one is a different cached page.
    other = client.get("/en/partners/?sort=date")
    assert other.status_code == 200 and "sort=date" in other.content.decode()
