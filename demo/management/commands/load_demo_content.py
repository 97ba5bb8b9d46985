"""Load the demo content from demo/data/, idempotently."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.loader import DemoLoader, site_has_content


class Command(BaseCommand):
    help = "Create the demo site: pages, topics, partners, people, articles, events and their translations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has content beyond its home and section pages (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and site_has_content():
            self.stdout.write("The database already has content; demo content not loaded.")
            return
        with transaction.atomic():
            report = DemoLoader().run()
        for section, counts in report.items():
            done = ", ".join(f"{number} {action}" for action, number in counts.items())
            self.stdout.write(f"{section.capitalize()}: {done}.")
        if report:
            total = sum(sum(counts.values()) for counts in report.values())
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {total} change(s)."))
        else:
            self.stdout.write("Demo content is already present; nothing changed.")
