"""Record a bounce or complaint for an address (SMTP sites, where bounces arrive by mail)."""

from django.core.management.base import BaseCommand

from digests.bounces import BOUNCE, COMPLAINT, record


class Command(BaseCommand):
    help = "Stop digests to an address that bounced (paused) or complained (deleted)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--complaint", action="store_true", help="A spam complaint: delete the subscriber.")

    def handle(self, *args, email, complaint=False, **options):
        found = record(email, COMPLAINT if complaint else BOUNCE)
        self.stdout.write("Recorded." if found else "No subscriber has this address.")
