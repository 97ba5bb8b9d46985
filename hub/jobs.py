"""The foundation's own periodic jobs (registered in ``HubConfig.ready()``; see ``hub.periodic``)."""

from datetime import timedelta
from io import StringIO

from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from hub.periodic import register_periodic_job
from hub.tasks import requeue_abandoned_tasks


def publish_scheduled():
    """Wagtail's scheduled publishing and expiry (pages and snippets); invalidation follows the signals."""
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return "; ".join(lines[-3:]) if lines else "nothing due"


def _database_task_backend():
    return isinstance(task_backends["default"], DatabaseBackend)


def requeue_tasks():
    """Queue again the tasks whose worker died (``hub.tasks.requeue_abandoned_tasks``)."""
    if not _database_task_backend():
        return "tasks run immediately: nothing to requeue"
    requeued, failed = requeue_abandoned_tasks()
    return f"{requeued} requeued, {failed} failed"


def prune_task_results():
    """Delete finished task results older than ``HUB_TASK_RESULT_DAYS`` (failed ones after twice that)."""
    if not _database_task_backend():
        return "tasks run immediately: no stored results"
    now = timezone.now()
    days = settings.HUB_TASK_RESULT_DAYS
    old = DBTaskResult.objects.successful().filter(finished_at__lt=now - timedelta(days=days))
    old_failed = DBTaskResult.objects.failed().filter(finished_at__lt=now - timedelta(days=2 * days))
    deleted = old.delete()[0] + old_failed.delete()[0]
    return f"{deleted} task result(s) deleted"


def register():
    """Register the foundation's jobs."""
    register_periodic_job("publish_scheduled", timedelta(minutes=1), publish_scheduled)
    register_periodic_job("requeue_abandoned_tasks", timedelta(minutes=1), requeue_tasks)
    register_periodic_job("prune_task_results", timedelta(days=1), prune_task_results)
