"""Erase every trace of an address from the digests (a data subject's request)."""

from django.core.management.base import BaseCommand

from digests.admin_views import erase


class Command(BaseCommand):
    help = "Delete the digest subscriber with this address and its consent records."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        subscribers, records = erase(email)
        self.stdout.write(f"Erased {subscribers} subscriber(s) and {records} consent record(s).")
