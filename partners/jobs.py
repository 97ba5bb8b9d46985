"""Periodic jobs of the partners app (run by ``manage.py run_periodic_jobs``, see ``hub.periodic``)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import MembershipApplication


def purge_declined_applications():
    """Delete declined applications past the retention the privacy page states (180 days by default)."""
    days = getattr(settings, "PARTNERS_APPLICATION_RETENTION_DAYS", 180)
    deleted, _details = MembershipApplication.objects.declined_before(timezone.now() - timedelta(days=days)).delete()
    return f"{deleted} declined application(s) older than {days} days deleted"
