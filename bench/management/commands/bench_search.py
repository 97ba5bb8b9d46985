"""``manage.py bench_search``: time of the site search's landmark queries, per language, warm.

For every language asked for (``--languages en,ar``; all by default), the 20 landmark queries of
``bench.generate`` (``landmark_queries``) are searched with Django's test client, in process: each
once to warm what a process keeps, then ``--repeat`` times with a query string of its own (so the
results are computed, not the ones kept for the first); a query's time is the median of its
repeats. Prints, per language, p50 / p95 / max of the 20 query times, the queries one search costs
(warm), p50 / p95 of this process's CPU time (the figure that holds on a busy machine), and every
query whose first result is not its landmark article (``--json`` for machines).

Run it against a database made by ``bench/run.py --build-only`` (10,000 generated articles) with
the environment ``bench/run.py`` gives its commands (``manage()``). Benchmarks and development
only: the page cache and the rate limit are off, static files are not collected.
"""

import json
import re
import statistics
import time
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.generate import landmark_queries


def percentile(values, fraction):
    """The nearest-rank percentile of ``values`` (20 values: p95 is the 19th)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def first_article(content, language):
    """The slug of the first article among the results of a search page."""
    results = content.decode().split('class="search-results', 1)[-1]
    found = re.findall(rf'href="/{language}/articles/([^"/]+)/"', results)
    return found[0] if found else None


class Command(BaseCommand):
    help = "Print p50/p95/max of the 20 landmark searches per language, warm, in process (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--languages", default=",".join(code for code, _name in settings.LANGUAGES))
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        overrides = {
            "HUB_PAGE_CACHE_SECONDS": 0,
            "HUB_RATE_LIMITS": {**settings.HUB_RATE_LIMITS, "search": (10**9, 60)},
            "STORAGES": {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        }
        with override_settings(**overrides):
            report = {code: self.measure(code, options["repeat"]) for code in options["languages"].split(",")}
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"{'language':<10}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'queries':>9}{'cpu p50':>8}{'cpu p95':>8}  slowest / wrong first"
        )
        for code, row in report.items():
            self.stdout.write(
                f"{code:<10}{row['p50']:>8.1f}{row['p95']:>8.1f}{row['max']:>8.1f}{row['queries']:>9}{row['cpu_p50']:>8.1f}{row['cpu_p95']:>8.1f}  "
                f"{row['slowest']} / {row['wrong'] or '-'}"
            )

    def measure(self, language, repeat):
        client = Client()
        times, cpu, wrong, queries = {}, {}, [], set()
        for query, slug in landmark_queries(language):
            url = f"/{language}/search/?q={quote(query)}"
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries.add(len(captured))
            if first_article(response.content, language) != slug:
                wrong.append(query)
            samples, cpu_samples = [], []
            for number in range(repeat):
                # A query string of its own each time: the results of one already answered are kept
                # (hub.memo), and what is measured here is a search that has to be computed.
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(f"{url}&repeat={number}")
                samples.append((time.perf_counter() - started) * 1000)
                cpu_samples.append((time.process_time() - cpu_started) * 1000)
            times[query] = statistics.median(samples)
            cpu[query] = statistics.median(cpu_samples)
        values = list(times.values())
        return {
            "p50": statistics.median(values),
            "p95": percentile(values, 0.95),
            "max": max(values),
            # This process's CPU time: the whole request on SQLite; without the database server's on PostgreSQL.
            "cpu_p50": statistics.median(cpu.values()),
            "cpu_p95": percentile(list(cpu.values()), 0.95),
            "queries": "/".join(str(count) for count in sorted(queries)),
            "slowest": max(times, key=times.get),
            "wrong": wrong,
            "times": times,
        }
