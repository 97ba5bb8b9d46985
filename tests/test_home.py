"""The home page shows the work: the newest articles and the next events, in a fixed number of queries."""

from datetime import timedelta

import pytest

from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from articles.models import ArticleKind
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, EventIndexPageFactory, EventPageFactory
from tests.helpers import query_counts, translate_page
from tests.html import soup


class Work:
    """An article library and an events calendar under the home page, grown on demand."""

    def __init__(self, home):
        self.articles = ArticleIndexPageFactory(parent=home)
        self.events = EventIndexPageFactory(parent=home)
        for index in (self.articles, self.events):
            translate_page(index, codes=["es"])
        self.image = get_image_model().objects.create(title="Hero", file=get_test_image_file())
        self.size = 0

    def grow(self, size):
        kinds = list(ArticleKind.values)
        for n in range(self.size, size):
            ArticlePageFactory(parent=self.articles, kind=kinds[n % 3], hero_image=self.image)
            EventPageFactory(parent=self.events, start=timezone.now() + timedelta(days=n + 1), hero_image=self.image)
        self.size = size


@pytest.mark.django_db
@pytest.mark.parametrize(("small", "large"), [(5, 12), pytest.param(5, 80, marks=pytest.mark.slow)])
def test_home_shows_the_newest_articles_and_next_events_in_a_fixed_number_of_queries(client, home, small, large):
    work = Work(home)
    work.grow(small)
    urls = ["/en/", "/es/"]
    before = query_counts(client, urls)
    work.grow(large)
    after = query_counts(client, urls)
    assert after == before
    assert before["/en/"] <= 26, before
    html = soup(client.get("/en/"))
    titles = [a.get_text(strip=True) for a in html.select(".home-articles .card__title a")]
    assert len(titles) == 4  # the newest guideline as the feature, then the three newest others
    assert html.select_one(".home-articles .card--feature .tag").get_text(strip=True) == "Guideline"
    events = [a["href"] for a in html.select(".home-events .card__title a")]
    assert len(events) == 3
    for href in [a["href"] for a in html.select(".home-articles a, .home-events a")]:
        assert client.get(href).status_code == 200, href
    # Responsive images: a <picture> with AVIF and WebP sources, width and height on the <img>.
    picture = html.select_one(".home-articles picture")
    assert {source["type"] for source in picture.select("source")} == {"image/avif", "image/webp"}
    img = picture.img
    assert img["width"] and img["height"] and "srcset" in picture.source.attrs
