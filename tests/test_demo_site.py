"""The demo site as `make run` loads it: content, translations, and a crawl in every language.

The demo is loaded once per run (``tests/demo_template.py``: loading it takes a minute) and
copied into the test database for this module, which gets its own database back at the end;
every test runs in its own transaction on top of it.
The crawl and the audits built on it are slow.
"""

import io
from collections import deque
from datetime import timedelta
from math import ceil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import polib
import pytest
import yaml
from icalendar import Calendar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from wagtail.models import Page
from wagtail_localize.models import Translation

from articles.models import ArticleIndexPage, ArticleKind, ArticlePage
from events.models import EventIndexPage, EventPage
from home.models import HomePage, StandardPage
from hub.translation import is_translated
from partners.models import PARTNERS_PER_PAGE, PartnerPage, Person
from partners.permissions import partner_group_for
from tests.helpers import module_demo
from tests.html import hreflang_links, soup

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SKIP_PREFIXES = ("/admin/", "/documents/", "/api/", "/static/", "/media/")
BASE_DIR = Path(settings.BASE_DIR)


def load_demo():
    """Run ``load_demo_content`` as `make run` does (on-commit work included); return what it printed."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo_content", stdout=out)
    return out.getvalue()


def one_language_fast(languages=LANGUAGES, fast="ar"):
    """``languages`` as parameters, all but ``fast`` (right-to-left, the most telling) in the slow
    tier: the fast tier proves the behaviour once, the slow tier in every language."""
    return [pytest.param(code, marks=() if code == fast else pytest.mark.slow) for code in languages]


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo for the module (undone afterwards): what ``load_demo_content`` printed."""
    with module_demo(django_db_blocker, tmp_path_factory) as output:
        yield output


@pytest.fixture(autouse=True)
def _media_root():
    """Keep the module's media folder (the demo's logos and PDFs) for every test here."""


# --- Loading ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_content_is_idempotent(demo_content):
    assert "Demo content loaded" in demo_content
    assert "nothing changed" in load_demo()  # a second run, rolled back with this test
    for code in LANGUAGES:
        home = HomePage.objects.get(locale__language_code=code)
        assert home.live and home.alias_of_id is None


@pytest.mark.django_db
def test_demo_translations_are_localize_translations(demo_content):
    about = StandardPage.objects.get(locale__language_code="en", slug="about")
    targets = set(
        Translation.objects.filter(source__object_id=about.translation_key).values_list(
            "target_locale__language_code", flat=True
        )
    )
    assert targets == {"es", "fr", "ar"}


# --- Partners and people --------------------------------------------------------------


@pytest.mark.django_db
def test_demo_contributors_acceptance(client, demo_content):
    english = Person.objects.filter(locale__language_code="en")
    board = english.filter(is_board_member=True).count()
    assert 0 < board < english.count()  # both kinds, so the order checked below means something
    html = soup(client.get("/en/contributors/"))
    people = html.select(".person")
    assert len(people) == english.count()
    assert all("person--board" in li["class"] for li in people[:board])
    assert not any("person--board" in li["class"] for li in people[board:])
    assert people[0].select_one(".person__role").get_text(strip=True) == "CTO, IOActive Labs"
    cerrudo = people[0].select_one(".person__organisation a")
    assert cerrudo.get_text(strip=True) == "IOActive" and cerrudo["href"] == "/en/partners/ioactive/"
    text = html.get_text()
    for expected in ["Erik Kamerling", "Senior Director MS-ISAC", "Center for Internet Security", "Matteo Collura"]:
        assert expected in text
    for code in ["es", "fr", "ar"]:
        response = client.get(f"/{code}/contributors/")
        assert response.status_code == 200
        localised = soup(response)
        assert len(localised.select(".person")) == len(people)  # untranslated people in English
        assert len(localised.select(".person--board")) == board
        assert localised.select_one(".person__organisation a")["href"] == f"/{code}/partners/ioactive/"
    assert "Director de tecnología, IOActive Labs" in client.get("/es/contributors/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", one_language_fast())
def test_every_link_and_call_to_action_on_the_home_page_works(client, demo_content, language):
    main = soup(client.get(f"/{language}/")).find("main")
    calls_to_action = main.select(".hero, .cta")
    assert len(calls_to_action) == 2
    for call in calls_to_action:
        button = call.select_one("a.button")
        assert button is not None, f"no button: {call.get_text(' ', strip=True)}"
        assert button["href"] == f"/{language}/join/"
    links = {anchor["href"] for anchor in main.select("a[href]")}
    assert len(links) > 2
    assert {href: client.get(href).status_code for href in links} == dict.fromkeys(links, 200)


@pytest.mark.django_db
def test_demo_partner_proposes_an_article(client, demo_content):
    """A demo partner's user (in the group an invitation gives) adds news under the articles index, for review."""
    partner = PartnerPage.objects.get(locale__language_code="en", slug="ioactive")
    user = get_user_model().objects.create_user("ioactive-editor", "editor@ioactive.example", "a-long-test-password")
    user.groups.add(partner_group_for(partner))
    client.force_login(user)
    index = ArticleIndexPage.objects.get(locale__language_code="en")
    add_url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    assert client.get(add_url).status_code == 200
    formsets = {
        f"{name}-{field}": value
        for name in ("authors", "downloads", "comments")
        for field, value in [
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        ]
    }
    response = client.post(
        add_url,
        {
            **formsets,
            "title": "IOActive tests parking meters",
            "slug": "ioactive-tests-parking-meters",
            "kind": "news",
            "date": "2026-01-15",
            "summary": "Parking meters accepted forged payment tokens.",
            "body-count": "0",
            "tags": "",
            "action-submit": "1",
        },
    )
    assert response.status_code == 302
    proposal = ArticlePage.objects.get(slug="ioactive-tests-parking-meters", locale=index.locale)
    assert proposal.owner == user and not proposal.live and proposal.workflow_in_progress
    assert client.get("/en/articles/ioactive-tests-parking-meters/").status_code == 404


@pytest.mark.django_db
def test_demo_partners_join_and_home(client, demo_content):
    english = PartnerPage.objects.live().filter(locale__language_code="en")
    assert not english.filter(partner_type="").exists()
    listed = []
    for number in range(1, ceil(english.count() / PARTNERS_PER_PAGE) + 1):
        directory = soup(client.get(f"/en/partners/?page={number}"))
        listed += [a.get_text(strip=True) for a in directory.select(".partner-list h2 a")]
    assert sorted(listed) == sorted(english.values_list("title", flat=True))  # every profile, once
    for code in LANGUAGES:
        for path in ["partners/", "contributors/", "join/", "partners/ioactive/"]:
            assert client.get(f"/{code}/{path}").status_code == 200
    home = soup(client.get("/en/"))
    assert home.select_one(".hero a.button")["href"] == "/en/join/"
    board = Person.objects.filter(locale__language_code="en", is_board_member=True).count()
    assert len(home.select(".home-partners .person")) == board
    assert "Socios" in client.get("/es/partners/").content.decode()
    menu = [a["href"] for a in soup(client.get("/fr/")).select(".main-nav a")]
    assert {"/fr/partners/", "/fr/contributors/", "/fr/join/"} <= set(menu)


# --- Articles -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_articles(client, demo_content):
    articles = ArticlePage.objects.filter(locale__language_code="en", alias_of__isnull=True)
    assert {a.kind for a in articles} == set(ArticleKind.values)
    assert all(a.tagged_items.exists() and a.authors.exists() for a in articles)
    guideline = articles.get(slug="cyber-security-guidelines-for-smart-city-technology-adoption")
    assert articles.filter(slug="role-of-information-security-in-a-smart-city-department", kind="guideline").exists()
    for code in ("es", "fr", "ar"):
        # Every language lists every article (the listing's first page holds ten); the untranslated
        # ones in English, marked as such (README, "Translation policy").
        translated = [a for a in articles if is_translated(a, code)]
        assert translated and len(translated) < len(articles)
        cards = soup(client.get(f"/{code}/articles/")).select(".article-card")
        assert len(cards) == min(len(articles), 10)
        marked = [card for card in cards if card.select_one(".marker--language")]
        assert len(marked) == len(articles) - len(translated)
        for card in marked:
            assert card.select_one(".card__title")["lang"] == "en" and card.select_one(".card__title")["dir"] == "ltr"
    download = guideline.downloads.get()
    response = client.get(download.document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert (
        'filename="cyber-security-guidelines-for-smart-city-technology-adoption.pdf"' in response["Content-Disposition"]
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    pdf = BASE_DIR / "demo/files/documents/cyber-security-guidelines-for-smart-city-technology-adoption.pdf"
    assert body == pdf.read_bytes()
    # The cross-reference table points at the objects it names.
    startxref = int(body.rsplit(b"startxref", 1)[1].split()[0])
    assert body[startxref:].startswith(b"xref")
    spanish = client.get("/es/articles/cyber-security-guidelines-for-smart-city-technology-adoption/")
    assert "Guía de ciberseguridad" in spanish.content.decode()
    assert soup(spanish).select_one(".download__label").get_text() == "Guía"
    menu = client.get("/ar/").content.decode()
    assert "/ar/articles/" in menu and "المقالات" in menu


# --- Events ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_events(client, demo_content):
    events = EventPage.objects.filter(locale__language_code="en")
    now = timezone.now()
    assert {"Europe/Madrid", "Asia/Qatar", "America/New_York", "Asia/Singapore", "UTC"} <= set(
        events.values_list("timezone", flat=True)
    )
    assert set(events.values_list("event_format", flat=True)) == {"in-person", "online", "hybrid"}
    assert events.filter(status="cancelled").exists() and events.filter(status="postponed").exists()
    assert events.upcoming(now).exists() and events.past(now).exists()
    conference = events.get(slug="annual-conference")
    assert conference.is_multi_day and conference.agenda
    programme = soup(client.get("/en/events/annual-conference/")).get_text()
    assert all(str(session.value["title"]) in programme for session in conference.agenda)
    assert conference.end - conference.start > timedelta(days=1)
    translated = [event for event in events if is_translated(event, "es")]
    assert translated
    for event in translated:
        assert all(is_translated(event, code) for code in ("fr", "ar"))
    index = EventIndexPage.objects.get(locale__language_code="en")
    assert index.show_in_menus and all(is_translated(index, code) for code in ("es", "fr", "ar"))
    # Every calendar carries every English event of its window, under the same UIDs.
    expected = {event.ical_uid for event in events.live().for_calendar(now)}
    for code in ("en", "es", "fr", "ar"):
        assert client.get(f"/{code}/events/").status_code == 200
        assert client.get(f"/{code}/events/past/").status_code == 200
        assert client.get(f"/{code}/events/annual-conference/").status_code == 200
        calendar = Calendar.from_ical(client.get(f"/{code}/events/calendar.ics").content)
        assert {str(event["uid"]) for event in calendar.walk("VEVENT")} == expected, code
    assert "Conferencia anual" in client.get("/es/events/annual-conference/").content.decode()
    assert "المؤتمر السنوي" in client.get("/ar/events/").content.decode()


# --- Site-wide ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_security_txt_and_robots(client, demo_content):
    body = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:" in body and "Expires: " in body and "/en/disclosure-policy/" in body
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


@pytest.mark.django_db
def test_footer_text_is_translated_content(client, demo_content):
    assert "sin ánimo de lucro" in soup(client.get("/es/")).find("footer").get_text()
    assert "not-for-profit" in soup(client.get("/en/")).find("footer").get_text()


# --- Per-locale search, feeds and calendars on the demo site ------------------------------


@pytest.mark.django_db
def test_french_search_feeds_and_calendar_are_french(client, demo_content):
    french_articles = {
        p.title for p in ArticlePage.objects.live().filter(locale__language_code="fr", alias_of__isnull=True)
    }
    english_articles = {p.title for p in ArticlePage.objects.live().filter(locale__language_code="en")}
    assert french_articles

    # Search: "sécurité" finds French pages only.
    results = soup(client.get("/fr/search/?q=s%C3%A9curit%C3%A9"))
    links = [a["href"] for a in results.select("main a[href]") if a["href"].startswith("/")]
    result_links = [href for href in links if not href.startswith("/fr/search")]
    assert result_links and all(href.startswith("/fr/") for href in result_links)

    # Feeds: the French feed holds the French titles; articles not translated yet are there in
    # English, each marked as English (RSS dc:language, Atom xml:lang), with French topic labels.
    feed = feedparser.parse(client.get("/fr/articles/feed.rss").content)
    assert feed.bozo == 0 and feed.feed.language == "fr"
    titles = {entry.title for entry in feed.entries}
    assert french_articles <= titles
    assert titles - french_articles and titles - french_articles <= english_articles
    for entry in feed.entries:
        assert (entry.get("language") == "en") == (entry.title not in french_articles), entry.title
    assert any(tag.term == "Gouvernance" for entry in feed.entries for tag in entry.get("tags", []))
    atom = feedparser.parse(client.get("/fr/articles/feed.atom").content)
    assert {entry.title for entry in atom.entries if entry.title_detail.language == "en"} == (
        {entry.title for entry in feed.entries} - french_articles
    )

    # Calendar: translated events carry their French titles.
    french_events = {
        p.title for p in EventPage.objects.live().filter(locale__language_code="fr", alias_of__isnull=True)
    }
    calendar = Calendar.from_ical(client.get("/fr/events/calendar.ics").content)
    summaries = {str(event.get("SUMMARY")) for event in calendar.walk("VEVENT")}
    assert french_events and french_events <= summaries


# --- Crawl ----------------------------------------------------------------------------------


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


@pytest.fixture(scope="module")
def crawled(demo_content):
    """The whole site crawled once for the module's tests."""
    return crawl(Client())


@pytest.mark.slow
@pytest.mark.django_db
def test_crawl_finds_no_error_and_no_broken_link(crawled):
    pages, problems = crawled
    assert problems == []
    # Every live page of every language is reachable by following links.
    live = {urlsplit(page.full_url).path for page in Page.objects.live().public().filter(depth__gt=1)}
    assert live - set(pages) == set()


@pytest.mark.slow
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


@pytest.mark.slow
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
            if not untranslated.decomposed and untranslated.get("lang") != language:
                untranslated.decompose()  # content shown in its source language, correctly marked
        text = " ".join(html.get_text(" ").split())
        leaks += [f"{path}: {string!r}" for string in english if string in text]
    assert leaks == []


# --- Search relevance (tests/data/search_relevance.yaml) ------------------------------------

RELEVANCE = yaml.safe_load((BASE_DIR / "tests/data/search_relevance.yaml").read_text(encoding="utf-8"))["queries"]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", RELEVANCE, ids=[f"{entry['lang']}-{entry['q'][:30]}" for entry in RELEVANCE])
def test_search_relevance(client, demo_content, entry):
    """The page a reader expects is among the first three results (the first for its exact title)."""
    response = client.get(f"/{entry['lang']}/search/", {"q": entry["q"]})
    results = [a["href"] for a in soup(response).select(".search-result:not(.search-result--promoted) h3 a")]
    expected = f"/{entry['lang']}/{entry['expect']}/"
    assert expected in results[: entry.get("top", 3)], f"{entry['q']!r}: {results[:5]}"


@pytest.mark.django_db
def test_search_results_show_type_date_and_a_highlighted_snippet(client, demo_content):
    html = soup(client.get("/en/search/", {"q": "security"}))
    results = html.select(".search-result")
    assert len(results) >= 5
    for result in results:
        assert result.select_one(".search-result__meta .tag").get_text(strip=True)
        assert result.select_one(".search-result__snippet").get_text(strip=True)
        assert result.select_one("mark"), result.get_text(" ", strip=True)
    guideline = next(r for r in results if "/cyber-security-guidelines" in r.select_one("h3 a")["href"])
    assert guideline.select_one(".tag").get_text(strip=True) == "Guideline"
    assert guideline.select_one("time")["datetime"] == "2025-03-10"
    assert guideline.select_one("time").get_text() == "March 10, 2025"
    # Index and utility pages are not results: the home page, the sections, the join form.
    hrefs = {r.select_one("h3 a")["href"] for r in results}
    assert not hrefs & {"/en/", "/en/articles/", "/en/events/", "/en/partners/", "/en/join/", "/en/contributors/"}
    # One search landmark on the page: the header's.
    assert len(html.select("[role=search]")) == 1


@pytest.mark.django_db
def test_search_filters_by_type_and_topic(client, demo_content):
    events = soup(client.get("/en/search/", {"q": "security", "type": "eventpage"}))
    hrefs = [a["href"] for a in events.select(".search-result h3 a")]
    assert hrefs and all(href.startswith("/en/events/") for href in hrefs)
    topic = soup(client.get("/en/search/", {"q": "security", "topic": "procurement"}))
    hrefs = {a["href"] for a in topic.select(".search-result h3 a")}
    assert "/en/articles/cyber-security-guidelines-for-smart-city-technology-adoption/" in hrefs
    assert "/en/articles/role-of-information-security-in-a-smart-city-department/" not in hrefs
    # Unknown filters are ignored, never an error.
    assert client.get("/en/search/", {"q": "security", "type": "nope", "topic": "x" * 300}).status_code == 200


@pytest.mark.django_db
def test_untranslated_search_results_are_marked_in_their_language(client, demo_content):
    html = soup(client.get("/fr/search/", {"q": "street lighting"}))
    result = html.select_one(".search-result")
    assert result.select_one("h3 a")["href"] == "/fr/articles/securing-street-lighting-networks/"
    english = result.select_one("[lang=en]")
    assert english["dir"] == "ltr" and "Securing street lighting networks" in english.get_text()
    assert result.select_one(".marker--language").get_text(strip=True) == "Uniquement en anglais"


# --- Home page, meta descriptions, compression (issue #13) ----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", one_language_fast())
def test_home_page_shows_recent_articles_and_next_events_with_working_links(client, demo_content, language):
    main = soup(client.get(f"/{language}/")).find("main")
    articles = main.select(".home-articles .card__title a")
    events = main.select(".home-events .card__title a")
    assert len(articles) >= 3 and len(events) >= 1
    for link in [*articles, *events]:
        assert client.get(link["href"]).status_code == 200, link["href"]
        assert link["href"].startswith(f"/{language}/")
    if language != "en":
        # Untranslated work is shown in English, marked, never hidden.
        for title in main.select(".home-articles .card__title[lang], .home-events .card__title[lang]"):
            assert title["lang"] == "en" and title["dir"] == "ltr"
            assert title.find_parent(class_="card").select_one(".marker--language")


@pytest.mark.django_db
def test_every_page_type_has_a_meta_description_and_html_is_compressed(client, demo_content):
    paths = [
        "/en/",
        "/en/articles/",
        "/en/articles/traffic-sensor-weaknesses/",
        "/en/events/",
        "/en/events/annual-conference/",
        "/en/partners/",
        "/en/partners/ioactive/",
        "/en/contributors/",
        "/en/join/",
        "/en/about/",
        "/ar/search/?q=security",
    ]
    for path in paths:
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", path
        html = soup(client.get(path))
        description = html.select_one('meta[name="description"]')
        assert description and len(description["content"]) > 20, path
    article = soup(client.get("/en/articles/traffic-sensor-weaknesses/"))
    assert article.select_one('meta[name="description"]')["content"].startswith("Wireless vehicle detection")


def _english_content_strings(language):
    """English sentences of the demo content whose ``language`` translation differs (3+ words)."""
    strings = set()
    for path in sorted((BASE_DIR / "demo/data").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data.get("translations", []):
            english, other = entry.get("en", ""), entry.get(language, "")
            if other and other != english and len(english.split()) >= 3:
                strings.add(" ".join(english.split()))
    return strings


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != settings.LANGUAGE_CODE])
def test_no_english_content_without_lang_under_other_languages(crawled, language):
    """English text on a page of another language is always inside an element marked ``lang="en"``
    (untranslated items shown in their own language), never bare (README, "Translation policy")."""
    pages, _problems = crawled
    english = _english_content_strings(language)
    assert english
    leaks = []
    for path, response in pages.items():
        if not path.startswith(f"/{language}/"):
            continue
        html = soup(response)
        for marked in html.select("[lang]:not(html)"):
            if not marked.decomposed and marked.get("lang") != language:
                marked.decompose()
        text = " ".join(html.get_text(" ").split())
        leaks += [f"{path}: {string!r}" for string in english if string in text]
    assert leaks == []
