"""Reminders (exactly once), retention of personal data, and data subjects' export and erasure."""

import io
import json
from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from hub.periodic import periodic_jobs
from registrations import jobs, links
from registrations import mail as mail_module
from registrations.choices import RegistrationStatus
from registrations.models import Registration
from tests.factories import RegistrationFactory, RegistrationSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(make_event):
    """An event starting in 36 hours (inside the default 2-day reminder window)."""
    start = timezone.now().replace(microsecond=0) + timedelta(hours=36)
    event = make_event(slug="soon", title="Briefing soon", start=start)
    RegistrationSettingsFactory(page=event)
    return event


def test_reminder_job_twice_sends_one_reminder_each(soon, make_event, django_capture_on_commit_callbacks):
    confirmed = [RegistrationFactory(event=soon) for _ in range(3)]
    RegistrationFactory(event=soon, status=RegistrationStatus.WAITING)
    RegistrationFactory(event=soon, status=RegistrationStatus.CANCELLED)
    later = make_event(slug="later", start=timezone.now() + timedelta(days=10))
    RegistrationSettingsFactory(page=later)
    RegistrationFactory(event=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_reminders() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_reminders() == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in confirmed)
    assert all(message.subject.startswith("Reminder:") for message in mail.outbox)
    assert all(message.attachments for message in mail.outbox)
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 3


def test_the_scheduler_runs_the_jobs(soon, django_capture_on_commit_callbacks):
    RegistrationFactory(event=soon)
    names = set(periodic_jobs())
    assert {"registrations_reminders", "registrations_offers", "registrations_retention"} <= names
    for _ in range(2):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic_jobs", "--run", "registrations_reminders", stdout=out)
    assert len(mail.outbox) == 1
    call_command("run_periodic_jobs", "--run", "registrations_retention", stdout=io.StringIO())


def test_reminder_days_per_event(soon, django_capture_on_commit_callbacks):
    settings = soon.registration_settings.get()
    settings.reminder_days = 1  # the event starts in 36 hours: not yet
    settings.save()
    RegistrationFactory(event=soon)
    assert jobs.send_reminders() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_reminders(timezone.now() + timedelta(hours=13)) == 1
    settings.reminder_days = 0
    settings.save()
    RegistrationFactory(event=soon)
    assert jobs.send_reminders(timezone.now() + timedelta(hours=13)) == 0


def test_retention_deletes_accessibility_answers_then_anonymises(make_event):
    now = timezone.now()
    ended_long_ago = make_event(slug="old", start=now - timedelta(days=400))
    ended_last_month = make_event(slug="last-month", start=now - timedelta(days=40))
    ended_yesterday = make_event(slug="yesterday", start=now - timedelta(days=1))
    for event in (ended_long_ago, ended_last_month, ended_yesterday):
        RegistrationSettingsFactory(page=event)
        RegistrationFactory(
            event=event, email=f"{event.slug}@example.org", access_needs=["captions"], access_notes="Wheelchair user"
        )
    old_link = links.make_token(Registration.objects.get(event=ended_long_ago))
    cleared, anonymised = jobs.apply_retention()
    assert (cleared, anonymised) == (2, 1)
    remaining = Registration.objects.filter(event__end__lt=now - timedelta(days=30))
    assert not remaining.exclude(access_needs=[]).exists() and not remaining.exclude(access_notes="").exists()
    assert Registration.objects.get(event=ended_yesterday).access_notes == "Wheelchair user"
    old = Registration.objects.get(event=ended_long_ago)
    assert old.anonymised_at and old.name == old.email == old.organisation == "" and old.answers == []
    assert old.status == RegistrationStatus.CONFIRMED  # the numbers stay
    assert Registration.objects.get(event=ended_last_month).email == "last-month@example.org"
    assert jobs.apply_retention() == (0, 0)
    # Old manage links stop working.
    assert Client().get(f"/en/registrations/{old_link}/").status_code == 404


def all_text_in_database():
    """Every text and JSON value in every table, as one string (what a database dump would show)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if isinstance(value, str | dict | list))
    return "\n".join(chunks).lower()


def test_export_and_erase_by_email(make_event, django_capture_on_commit_callbacks, settings):
    first = make_event(slug="first", title="First event")
    second = make_event(slug="second", title="Second event")
    for event in (first, second):
        RegistrationSettingsFactory(page=event, capacity=1)
    mine = RegistrationFactory(event=first, email="Erin@Example.org", name="Erin Erasable", access_notes="Guide dog")
    RegistrationFactory(event=second, email="erin@example.org", name="Erin Erasable", status=RegistrationStatus.CANCELLED)
    waiting = RegistrationFactory(event=first, email="next@example.org", status=RegistrationStatus.WAITING)
    other = RegistrationFactory(event=second, email="other@example.org", name="Other Person")

    # Mail waiting in the production queue (the database backend) holds the registration's id only.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        mail_module.notify(mine, mail_module.REMINDER)
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {"registration_id": mine.pk, "kind": "reminder"}

    out = io.StringIO()
    call_command("registrations_export", "ERIN@example.org", stdout=out)
    exported = json.loads(out.getvalue())
    assert sorted(item["event"] for item in exported) == ["First event", "Second event"]
    assert exported[0]["name"] == "Erin Erasable" and "consent" in exported[0]
    assert any(item["accessibility_notes"] == "Guide dog" for item in exported)

    out = io.StringIO()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("registrations_erase", "erin@example.org", "--yes", stdout=out)
    assert "Erased 2" in out.getvalue()
    assert not Registration.objects.filter(pk=mine.pk).exists()
    everything = all_text_in_database()
    assert "erin@example.org" not in everything and "erin erasable" not in everything and "guide dog" not in everything
    # The freed place went to the waiting list; other people's data is untouched.
    # The queued mail, run after the erasure, writes to nobody.
    mail.outbox.clear()
    assert mail_module.send_registration_mail.call(**queued.args_kwargs["kwargs"]) == 0
    assert not mail.outbox
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.filter(pk=other.pk, email="other@example.org").exists()


def test_commands_refuse_what_is_not_an_address():
    with pytest.raises(CommandError, match="not an email address"):
        call_command("registrations_export", "not-an-address")
    with pytest.raises(CommandError, match="not an email address"):
        call_command("registrations_erase", "not-an-address", "--yes")
