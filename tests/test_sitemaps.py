"""The sitemap index (hub.sitemaps): one paged sitemap per language, valid, bounded, cached like pages."""

import re
from datetime import datetime
from xml.etree import ElementTree

import pytest

from django.db.models import Q

from wagtail.models import Page

from hub import sitemaps
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory
from tests.helpers import query_counts, sitemap_parts, translate_page

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def valid_w3c_datetime(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) is not None


def check_index(xml):
    """The sitemap protocol's index schema (siteindex.xsd): <sitemap> entries with an absolute <loc>."""
    root = ElementTree.fromstring(xml)  # noqa: S314 (our own output)
    assert root.tag == f"{SITEMAP}sitemapindex"
    entries = list(root)
    assert entries and len(entries) <= 50_000
    for entry in entries:
        assert entry.tag == f"{SITEMAP}sitemap"
        children = [child.tag for child in entry]
        assert children[0] == f"{SITEMAP}loc" and set(children) <= {f"{SITEMAP}loc", f"{SITEMAP}lastmod"}
        assert re.match(r"^https?://[^/]+/sitemap-[a-z]+\.xml(\?p=\d+)?$", entry.findtext(f"{SITEMAP}loc"))
    return [entry.findtext(f"{SITEMAP}loc") for entry in entries]


def check_part(xml):
    """The sitemap protocol's urlset schema (sitemap.xsd), with xhtml:link alternates."""
    root = ElementTree.fromstring(xml)  # noqa: S314 (our own output)
    assert root.tag == f"{SITEMAP}urlset"
    assert len(root) <= 50_000
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        own = [child.tag for child in url if child.tag.startswith(SITEMAP)]
        assert own[0] == f"{SITEMAP}loc" and set(own) <= {
            f"{SITEMAP}{name}" for name in ("loc", "lastmod", "changefreq", "priority")
        }
        assert len(url.findtext(f"{SITEMAP}loc")) < 2048 and url.findtext(f"{SITEMAP}loc").startswith("http")
        if url.find(f"{SITEMAP}lastmod") is not None:
            assert valid_w3c_datetime(url.findtext(f"{SITEMAP}lastmod"))
        for link in url.findall(f"{XHTML}link"):
            assert link.get("rel") == "alternate" and link.get("hreflang") and link.get("href").startswith("http")
    return root


@pytest.fixture
def library(home):
    index = ArticleIndexPageFactory(parent=home)
    translate_page(index)
    articles = [ArticlePageFactory(parent=index, title=f"Report {n}", slug=f"report-{n}") for n in range(7)]
    translate_page(articles[0], codes=["es"])
    return articles


@pytest.mark.django_db
def test_the_sitemap_is_an_index_of_valid_parts_per_language(client, library, monkeypatch):
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 4)
    locations = check_index(client.get("/sitemap.xml").content)
    parts = sitemap_parts(client)
    # English: home, index and 7 articles = 9 pages in parts of 4; the others: home and index.
    assert [location.rsplit("/", 1)[1] for location in locations] == [
        "sitemap-en.xml",
        "sitemap-en.xml?p=2",
        "sitemap-en.xml?p=3",
        "sitemap-es.xml",
        "sitemap-fr.xml",
        "sitemap-ar.xml",
    ]
    english = [
        loc.text for part, xml in parts.items() if "sitemap-en" in part for loc in check_part(xml).iter(f"{SITEMAP}loc")
    ]
    assert len(english) == len(set(english)) == 9
    spanish = parts[next(location for location in locations if location.endswith("sitemap-es.xml"))]
    check_part(spanish)
    assert "http://testserver/es/articles/report-0/" in spanish
    assert "http://testserver/es/articles/report-1/" not in spanish  # an alias: duplicate content
    entry = spanish[spanish.index("<loc>http://testserver/es/articles/report-0/</loc>") :].split("</url>")[0]
    assert 'hreflang="en" href="http://testserver/en/articles/report-0/"' in entry
    assert 'hreflang="x-default" href="http://testserver/en/articles/report-0/"' in entry


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/sitemap-xx.xml", "/sitemap-en.xml?p=99", "/sitemap-en.xml?p=abc", "/sitemap-en.xml?p=0", "/sitemap-en.xml?p=-1"],
)
def test_unknown_sitemap_parts_are_404(client, library, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_sitemap_part_costs_the_same_queries_at_any_size(client, library):
    index = library[0].get_parent()
    before = query_counts(client, ["/sitemap-en.xml", "/sitemap.xml"])
    for n in range(7, 60):
        ArticlePageFactory(parent=index, title=f"Report {n}", slug=f"report-{n}")
    assert query_counts(client, ["/sitemap-en.xml", "/sitemap.xml"]) == before


@pytest.mark.django_db
def test_sitemap_parts_are_cached_until_content_changes(client, library, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 300
    assert client.get("/sitemap-en.xml").get("X-Cache") == "miss"
    assert client.get("/sitemap-en.xml").get("X-Cache") == "hit"
    library[3].title = "Renamed report"
    library[3].save_revision().publish()
    assert client.get("/sitemap-en.xml").get("X-Cache") == "miss"


@pytest.mark.django_db
def test_a_tree_range_selects_exactly_the_pages_below_a_path(library):
    """``tree_q`` (the index-friendly form of ``path__startswith``) selects the same pages for every
    page of the tree, and its upper bound carries over like a base-36 number."""
    for page in Page.objects.all():
        assert set(Page.objects.filter(sitemaps.tree_q(page.path)).values_list("pk", flat=True)) == set(
            Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
        ), page.path
    assert sitemaps.tree_q("0001000Z") == Q(path__gte="0001000Z", path__lt="00010010")
    assert sitemaps.tree_q("00019ZZZ") == Q(path__gte="00019ZZZ", path__lt="0001A000")
    assert sitemaps.tree_q("ZZZZ") == Q(path__gte="ZZZZ")
