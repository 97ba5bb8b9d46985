"""Repair the Board group, the partner template, the board review workflow and every partner's group
and collection: the same code ``migrate`` runs (partners.install), without migrating."""

from django.core.management.base import BaseCommand

from partners.permissions import sync_partner_permissions


class Command(BaseCommand):
    help = (
        "Create or repair the Board group, the Partner template, the 'Board review' workflow and the partner "
        "groups, as migrate does (idempotent)."
    )

    def handle(self, *args, **options):
        count = sync_partner_permissions()
        self.stdout.write(f"Board review set up; {count} partner group(s) in place.")
