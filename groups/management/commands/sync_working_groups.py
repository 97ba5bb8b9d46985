"""Repair every working group's members' areas, rights and restrictions (``migrate`` does the same)."""

from django.core.management.base import BaseCommand

from groups.privacy import sync_all_restrictions
from groups.setup import sync_all


class Command(BaseCommand):
    help = "Give every working group its members' area in each locale, its rights and its restrictions."

    def handle(self, *args, **options):
        count = sync_all()
        changed = sync_all_restrictions()
        self.stdout.write(f"{count} working group(s) checked; {changed} restriction(s) repaired.")
