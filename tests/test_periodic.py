"""Periodic jobs (hub.periodic, manage.py run_periodic_jobs): due jobs run once, whoever asks."""

import io
from datetime import timedelta

import pytest

from django.core.management import CommandError, call_command
from django.utils import timezone

from hub import periodic
from hub.models import PeriodicJobState


@pytest.fixture
def counter(monkeypatch):
    """A registered job that counts its runs (the registry is restored afterwards)."""
    monkeypatch.setattr(periodic, "_jobs", dict(periodic._jobs))
    runs = []
    periodic.register_periodic_job("count", timedelta(minutes=5), lambda: runs.append(1) or f"run {len(runs)}")
    return runs


@pytest.mark.django_db
def test_a_due_job_runs_once_per_interval(counter):
    now = timezone.now()
    assert ("count", "ok", "run 1") in periodic.run_due_jobs(now=now)
    # A second scheduler (another host) in the same interval finds it taken.
    assert "count" not in [name for name, *_ in periodic.run_due_jobs(now=now + timedelta(minutes=1))]
    assert counter == [1]
    periodic.run_due_jobs(now=now + timedelta(minutes=6))
    assert counter == [1, 1]


@pytest.mark.django_db
def test_a_locked_job_is_not_run_twice_but_a_stale_lock_expires(counter):
    job = periodic.periodic_jobs()["count"]
    now = timezone.now()
    assert periodic.claim(job, now)  # a host takes it and dies without finishing
    assert not periodic.run_job(job, force=True, now=now + timedelta(minutes=1))[0]
    assert periodic.run_job(job, now=now + job.timeout + timedelta(seconds=1))[0]


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(counter, monkeypatch):
    periodic.register_periodic_job("broken", timedelta(minutes=1), lambda: 1 / 0)
    ran = {name: outcome for name, outcome, _message in periodic.run_due_jobs()}
    assert ran["broken"] == "failed" and ran["count"] == "ok"
    state = PeriodicJobState.objects.get(name="broken")
    assert state.last_outcome == "failed" and "ZeroDivisionError" in state.last_message
    assert state.locked_until is None


@pytest.mark.django_db
def test_command_list_once_and_run(counter):
    out = io.StringIO()
    call_command("run_periodic_jobs", "--list", stdout=out)
    assert "count\tevery 0:05:00\tdue now\tnever run" in out.getvalue()
    # The foundation's own jobs are registered.
    for name in ("publish_scheduled", "requeue_abandoned_tasks", "prune_task_results"):
        assert name in out.getvalue()
    out = io.StringIO()
    call_command("run_periodic_jobs", "--once", stdout=out)
    assert "count: ok (run 1)" in out.getvalue()
    call_command("run_periodic_jobs", "--run", "count", stdout=io.StringIO())
    assert counter == [1, 1]
    with pytest.raises(CommandError, match="No periodic job is called 'nope'"):
        call_command("run_periodic_jobs", "--run", "nope")
