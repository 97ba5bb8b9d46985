"""(Re)apply the Board group, the board review workflow and every partner's group and collection."""

from django.core.management.base import BaseCommand

from partners.permissions import sync_partner_permissions


class Command(BaseCommand):
    help = "Create or repair the Board group, the 'Board review' workflow and the partner groups (idempotent)."

    def handle(self, *args, **options):
        count = sync_partner_permissions()
        self.stdout.write(f"Board review set up; {count} partner group(s) in place.")
