"""Delete declined membership applications past the retention period stated on the privacy page."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partners.models import MembershipApplication


def positive_days(value):
    """A whole number of days, zero or more."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise CommandError(f"--older-than takes a whole number of days (0 or more), not {value!r}.")
    return days


class Command(BaseCommand):
    help = "Delete declined membership applications older than DAYS days (the privacy page says 180)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", dest="days", required=True, metavar="DAYS")

    def handle(self, *args, days, **options):
        days = positive_days(days)
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _details = MembershipApplication.objects.declined_before(cutoff).delete()
        self.stdout.write(f"Deleted {deleted} declined application(s) older than {days} days.")
