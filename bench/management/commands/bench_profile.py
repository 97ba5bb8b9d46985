"""``manage.py bench_profile``: queries and time of an uncached render of every public page type.

For each page type in each language asked for (``--languages en,ar``), the URL is found in the
database (the first live, public page of its type), then:

- ``warm``: the queries of the second request with the page cache off (the uncached render path,
  site-wide fragments and labels cached by the first);
- ``miss``: the queries of a request with the page cache on that misses it (a new generation, the
  home page of the same language visited first, as after a publish);
- ``ms``: the median time of ``--repeat`` uncached renders (page cache off).

``--profile URL`` prints the top functions of a cProfile of ``--repeat`` uncached renders of that URL
instead. Benchmarks and development only: it renders with Django's test client, in process.
"""

import cProfile
import io
import json
import pstats
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

from articles.models import ArticleIndexPage, ArticlePage
from digests.models import Digest, SubscribePage
from events.models import EventIndexPage, EventPage
from groups.models import WorkingGroupIndexPage, WorkingGroupPage
from home.models import StandardPage
from hub import page_cache
from partners.models import ContributorsPage, JoinPage, PartnerIndexPage, PartnerPage


def _first(model, language, **filters):
    """The URL of the first live, public, non-alias page of ``model`` in ``language``."""
    restricted = [restriction.page.path for restriction in PageViewRestriction.objects.select_related("page")]
    pages = (
        Page.objects.live()
        .filter(locale__language_code=language, alias_of__isnull=True, **filters)
        .exact_type(model)
        .order_by("path")
    )
    for page in pages[:50]:
        if not any(page.path.startswith(path) for path in restricted):
            return page.specific.url
    return None


def public_urls(language):
    """``{page type: URL}`` of every public page type in ``language`` (those the database has)."""
    found = {
        "home": f"/{language}/",
        "standard": _first(StandardPage, language),
        "article index": _first(ArticleIndexPage, language),
        "article": _first(ArticlePage, language),
        "events index": _first(EventIndexPage, language),
        "event": _first(EventPage, language),
        "partners index": _first(PartnerIndexPage, language),
        "partner": _first(PartnerPage, language),
        "contributors": _first(ContributorsPage, language),
        "join": _first(JoinPage, language),
        "working groups index": _first(WorkingGroupIndexPage, language),
        "working group": _first(WorkingGroupPage, language),
        "subscribe": _first(SubscribePage, language),
    }
    if found["article index"]:
        found["articles filtered"] = found["article index"] + "?kind=research&page=1"
        found["feed rss"] = found["article index"] + "feed.rss"
        found["feed atom"] = found["article index"] + "feed.atom"
    if found["events index"]:
        found["past events"] = found["events index"] + "past/"
        found["calendar.ics"] = found["events index"] + "calendar.ics"
    if found["event"]:
        found["event.ics"] = found["event"] + "event.ics"
        found["registration"] = found["event"] + "register/"
    if found["subscribe"]:
        found["digest archive"] = found["subscribe"] + "archive/"
        digest = Digest.objects.filter(language=language).order_by("-pk").first()
        if digest is not None:
            found["digest"] = found["subscribe"] + f"archive/{digest.pk}/"
    found["search"] = f"/{language}/search/?q=security"
    found["sitemap index"] = "/sitemap.xml"
    found["sitemap part"] = f"/sitemap-{language}.xml"
    return {name: url for name, url in found.items() if url}


class Command(BaseCommand):
    help = "Queries (warm, page cache off; page cache miss) and ms per uncached render of every public page type."

    def add_arguments(self, parser):
        parser.add_argument("--languages", default="en,ar")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--profile", metavar="URL", help="cProfile uncached renders of this URL")
        parser.add_argument("--top", type=int, default=40)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        # One client for every request, as a visitor without cookies; search is not rate limited here.
        limits = {**settings.HUB_RATE_LIMITS, "search": (10**9, 60)}
        client = Client(HTTP_HOST=options["host"])
        with override_settings(HUB_RATE_LIMITS=limits):
            if options["profile"]:
                self.profile(client, options["profile"], options["repeat"], options["top"])
                return
            results = {}
            for language in options["languages"].split(","):
                for name, url in public_urls(language).items():
                    results[url] = {"type": name, **self.measure(client, url, language, options["repeat"])}
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=1))
            return
        self.stdout.write(f"{'page type':22} {'url':70} {'status':>6} {'warm':>5} {'miss':>5} {'ms':>7}")
        for url, row in results.items():
            self.stdout.write(
                f"{row['type']:22} {url[:70]:70} {row['status']:>6} {row['warm']:>5} {row['miss']:>5} {row['ms']:>7.1f}"
            )

    def measure(self, client, url, language, repeat):
        with override_settings(HUB_PAGE_CACHE_SECONDS=0):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            warm = len(queries)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        with override_settings(HUB_PAGE_CACHE_SECONDS=300):
            page_cache.new_generation()
            client.get(f"/{language}/" if url != f"/{language}/" else f"/{language}/search/")
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            miss = len(queries)
        return {"status": response.status_code, "warm": warm, "miss": miss, "ms": statistics.median(times)}

    def profile(self, client, url, repeat, top):
        with override_settings(HUB_PAGE_CACHE_SECONDS=0):
            client.get(url)
            client.get(url)
            profiler = cProfile.Profile()
            started = time.perf_counter()
            profiler.enable()
            for _ in range(repeat):
                client.get(url)
            profiler.disable()
            elapsed = (time.perf_counter() - started) * 1000 / repeat
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        self.stdout.write(f"{url}: {elapsed:.1f} ms per render under cProfile ({repeat} renders)\n")
        self.stdout.write(out.getvalue())
