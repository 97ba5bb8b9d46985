"""``manage.py bench_queries URL...``: the database queries each URL costs, warm, as JSON (for ``make bench``).

Each URL is visited once to warm what a process keeps for its lifetime, then measured with the
page cache's generation unchanged but the page cache off (the benchmark runs it with
``HUB_PAGE_CACHE_SECONDS=0``), the way ``tests.helpers.query_counts`` counts. A URL ending in
``&n=`` (``bench.run.DISTINCT``: each request a query string of its own) gets ``warm`` and then
``counted`` appended, so the measured request is computed, not one kept for the first.
"""

import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


class Command(BaseCommand):
    help = "Print {url: {status, queries}} for each URL, measured warm (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):
        client = Client(HTTP_HOST=options["host"])
        results = {}
        for url in options["urls"]:
            distinct = url.endswith("&n=")
            client.get(url + "warm" if distinct else url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url + "counted" if distinct else url)
            results[url] = {"status": response.status_code, "queries": len(queries), "bytes": len(response.content)}
        self.stdout.write(json.dumps(results))
