"""``manage.py generate_bench_data``: add the large generated data set (bench/generate.py) to the database."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from bench.generate import SEED, generate


class Command(BaseCommand):
    help = "Add generated articles, events and partners in every language, with bulk inserts (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--events", type=int, default=1_000)
        parser.add_argument("--partners", type=int, default=500)
        parser.add_argument("--people", type=int, default=120)
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args, **options):
        started = time.monotonic()

        def log(message):
            self.stdout.write(f"{time.monotonic() - started:6.1f}s  {message}")

        counts = generate(
            articles=options["articles"],
            events=options["events"],
            partners=options["partners"],
            people=options["people"],
            seed=options["seed"],
            log=log,
        )
        # Bulk inserts leave the query planner with the statistics of the demo: PostgreSQL then
        # planned a search over 10,000 articles as a nested loop (6-30 s) until autovacuum's
        # next analyze. Statistics taken now, as after any bulk load. On PostgreSQL the dead row
        # versions are reclaimed too, as autovacuum would soon do on a live server (it may be off
        # on a test machine): Wagtail writes each index entry twice, and reading both versions
        # doubled a search's index and table reads.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        log("done: " + ", ".join(f"{count} {name}" for name, count in counts.items()) + "; statistics analyzed")
