"""Periodic jobs: one registry, one scheduler (``manage.py run_periodic_jobs``).

Feature apps register their jobs in ``AppConfig.ready()``::

    register_periodic_job("purge-applications", timedelta(days=1), purge_old_applications)

``func()`` takes no argument and may return a short text for the log and ``--list``. The
scheduler runs every due job; its state (next run, lock, last outcome) is the ``PeriodicJobState``
table, claimed with one conditional UPDATE, so schedulers on several hosts never run a job twice
and a job that crashed its host is run again once its lock expires.

Production starts ``run_periodic_jobs --once`` from a timer (every minute) or runs it as a long
process; ``make run`` starts it beside the development server.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hub.models import PeriodicJobState

logger = logging.getLogger(__name__)

_jobs = {}


@dataclass(frozen=True)
class PeriodicJob:
    """A registered job: ``func`` runs every ``every``; a run may hold its lock for ``timeout``."""

    name: str
    every: timedelta
    func: object
    timeout: timedelta

    def __str__(self):
        return self.name


def register_periodic_job(name, every: timedelta, func, *, timeout: timedelta | None = None):
    """Run ``func()`` every ``every`` from the scheduler. Registering a name again replaces the job."""
    if every <= timedelta(0):
        raise ValueError("A periodic job needs a positive interval.")
    job = PeriodicJob(name, every, func, timeout or max(every, timedelta(minutes=10)))
    _jobs[name] = job
    return job


def periodic_jobs():
    """Every registered job, by name."""
    return dict(sorted(_jobs.items()))


def _state(name):
    try:
        return PeriodicJobState.objects.get_or_create(name=name)[0]
    except IntegrityError:  # another host created it at the same moment
        return PeriodicJobState.objects.get(name=name)


def claim(job, now=None, *, force=False):
    """Take ``job`` for this process if it is due (or ``force``) and not running elsewhere."""
    now = now or timezone.now()
    _state(job.name)
    rows = PeriodicJobState.objects.filter(name=job.name).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    )
    if not force:
        rows = rows.filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
    return rows.update(locked_until=now + job.timeout, last_started_at=now, next_run_at=now + job.every) == 1


def run_job(job, *, force=False, now=None):
    """Claim and run one job; returns ``(ran, outcome, message)``. Never raises."""
    now = now or timezone.now()
    if not claim(job, now, force=force):
        return False, "", ""
    logger.info("periodic job %s started", job.name)
    try:
        message = job.func()
        outcome, message = "ok", "" if message is None else str(message)
    except Exception as error:
        logger.exception("periodic job %s failed", job.name)
        outcome, message = "failed", f"{type(error).__name__}: {error}"
    with transaction.atomic():
        PeriodicJobState.objects.filter(name=job.name).update(
            locked_until=None, last_finished_at=timezone.now(), last_outcome=outcome, last_message=message[:2000]
        )
    logger.info("periodic job %s finished: %s %s", job.name, outcome, message)
    return True, outcome, message


def run_due_jobs(now=None):
    """Run every due job once; returns ``[(name, outcome, message)]`` of those that ran."""
    ran = []
    for job in periodic_jobs().values():
        did_run, outcome, message = run_job(job, now=now)
        if did_run:
            ran.append((job.name, outcome, message))
    return ran


def seconds_until_next_due(now=None):
    """Seconds until the next registered job is due (0 when one is due now)."""
    now = now or timezone.now()
    states = dict(PeriodicJobState.objects.filter(name__in=list(_jobs)).values_list("name", "next_run_at"))
    waits = [(states.get(name) - now).total_seconds() if states.get(name) else 0 for name in _jobs]
    return max(0.0, min(waits, default=60.0))
