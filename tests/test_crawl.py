"""A crawl of the whole demo site in every language, as a visitor and a search engine see it."""

from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import polib
import pytest

from django.conf import settings

from wagtail.models import Page

from tests.html import hreflang_links, soup

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SKIP_PREFIXES = ("/admin/", "/documents/", "/api/", "/static/", "/media/")
BASE_DIR = Path(settings.BASE_DIR)


def crawl(client):
    """Breadth-first over every internal link reachable from each language's home page."""
    queue = deque(f"/{code}/" for code in LANGUAGES)
    seen, pages, problems = set(queue), {}, []
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code in {301, 302}:
            target = urlsplit(response["Location"]).path
            if target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if response.status_code != 200:
            problems.append(f"{path} -> {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages[path] = response
        for anchor in soup(response).select("a[href]"):
            url = urlsplit(urljoin(f"http://testserver{path}", anchor["href"]))
            if url.netloc not in {"testserver", ""} or url.scheme not in {"http", "https", ""}:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if url.path.startswith(SKIP_PREFIXES) or target in seen:
                continue
            seen.add(target)
            queue.append(target)
    return pages, problems


@pytest.fixture
def crawled(client, demo_content):
    return crawl(client)


@pytest.mark.django_db
def test_crawl_finds_no_error_and_no_broken_link(crawled):
    pages, problems = crawled
    assert problems == []
    # Every live page of every language is reachable by following links.
    live = {urlsplit(page.full_url).path for page in Page.objects.live().public().filter(depth__gt=1)}
    assert live - set(pages) == set()


@pytest.mark.django_db
def test_translated_pages_have_reciprocal_hreflang_and_aliases_have_the_notice(client, crawled):
    pages, _problems = crawled
    for path, response in pages.items():
        html = soup(response)
        links = hreflang_links(response)
        if html.select(".notice--untranslated"):
            assert links == {}, path
            assert html.find("main")["lang"] == settings.LANGUAGE_CODE, path
            continue
        if "?" in path or not links:
            continue
        assert links.get(path.split("/")[1], "").endswith(path), f"{path} does not list itself"
        for href in links.values():
            other = urlsplit(href).path
            back = hreflang_links(pages[other] if other in pages else client.get(other))
            assert back == links, f"{other} and {path} disagree on alternates"


def _english_interface_strings(language):
    """English interface strings whose translation differs, long enough to be unambiguous."""
    strings = set()
    catalogues = [BASE_DIR / "locale", *(BASE_DIR / app / "locale" for app in ("partners", "articles", "events"))]
    for root in catalogues:
        path = root / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if (
                entry.msgstr
                and entry.msgstr != entry.msgid
                and len(entry.msgid.split()) >= 3
                and "%" not in entry.msgid
            ):
                strings.add(entry.msgid)
    return strings


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != settings.LANGUAGE_CODE])
def test_no_english_interface_string_under_other_languages(crawled, language):
    pages, _problems = crawled
    english = _english_interface_strings(language)
    assert english
    leaks = []
    for path, response in pages.items():
        if not path.startswith(f"/{language}/"):
            continue
        html = soup(response)
        for untranslated in html.select("[lang]:not(html)"):
            if untranslated.get("lang") != language:
                untranslated.decompose()  # content shown in its source language, correctly marked
        text = " ".join(html.get_text(" ").split())
        leaks += [f"{path}: {string!r}" for string in english if string in text]
    assert leaks == []
