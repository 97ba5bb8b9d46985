"""Build and queue the due digests now, reporting progress (the periodic job does the same every hour)."""

from django.core.management.base import BaseCommand

from digests.digest import BATCH_SIZE, send_digests


class Command(BaseCommand):
    help = "Build the last complete week's and month's digests and queue one mail per subscriber with news."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Subscribers handled per batch.")

    def handle(self, *args, batch_size=BATCH_SIZE, **options):
        summary = send_digests(batch_size=batch_size, progress=self.stdout.write)
        self.stdout.write(summary)
