"""Tasks you can trust (hub.tasks): plain arguments, retries with backoff, recovery from dead workers."""

import io
import json
import re
import socket
import threading
from datetime import timedelta

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from wagtail.models import Locale

from hub import tasks
from tests.factories import PersonFactory
from tests.helpers import run_task_worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database queue, as in production, and run when ``run_task_worker()`` is called."""
    settings.TASKS = DATABASE_TASKS


class RefusingSMTPServer:
    """An SMTP server that answers every connection with ``554`` (service refused) and hangs up."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.sendall(b"554 5.3.2 No service for you\r\n")
            conn.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def refusing_smtp(settings):
    server = RefusingSMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_TIMEOUT = 3
    yield server
    server.close()


def make_due(result_id):
    DBTaskResult.objects.filter(pk=result_id).update(run_after=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_send_email_takes_plain_values_and_sends_text_html_and_attachments(database_tasks):
    result = tasks.send_email.enqueue(
        to="visitor@example.org",
        subject="Hello",
        body="Plain text",
        html="<p>HTML</p>",
        reply_to="board@example.org",
        attachments=[tasks.attachment("event.ics", "BEGIN:VCALENDAR", "text/calendar"), tasks.attachment("a.bin", b"\x00\x01")],
    )
    stored = DBTaskResult.objects.get(pk=result.id).args_kwargs
    json.dumps(stored)  # plain JSON: nothing pickled
    assert not mail.outbox
    assert run_task_worker() == 1
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    (message,) = mail.outbox
    assert message.to == ["visitor@example.org"] and message.reply_to == ["board@example.org"]
    assert message.alternatives[0].content == "<p>HTML</p>"
    assert [a.filename for a in message.attachments] == ["event.ics", "a.bin"]
    assert message.attachments[1].content == b"\x00\x01"


@pytest.mark.django_db
def test_mail_to_a_refusing_server_is_retried_with_backoff_then_fails_with_the_reason(database_tasks, refusing_smtp):
    result = tasks.send_email.enqueue(to=["a@example.org"], subject="s", body="b")
    policy = tasks.send_email.func.hub_retry_policy
    delays = []
    for attempt in range(1, policy.attempts):
        run_task_worker()
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == TaskResultStatus.READY, f"attempt {attempt} was not retried"
        delays.append(round((row.run_after - timezone.now()).total_seconds()))
        assert run_task_worker() == 0  # not due before its backoff
        make_due(result.id)
    run_task_worker()
    result.refresh()
    assert delays == [30, 60, 120, 240]
    assert result.status == TaskResultStatus.FAILED
    assert result.attempts == policy.attempts == refusing_smtp.connections
    assert result.errors[-1].exception_class_path == "smtplib.SMTPConnectError"
    assert "No service for you" in result.errors[-1].traceback


@pytest.mark.django_db
def test_errors_outside_the_policy_are_not_retried(database_tasks):
    result = tasks.send_email.enqueue(to=["a@example.org"], subject="s", body="b", attachments=[{"filename": "x"}])
    run_task_worker()
    result.refresh()
    assert result.status == TaskResultStatus.FAILED and result.attempts == 1
    assert result.errors[-1].exception_class_path == "builtins.KeyError"


@pytest.mark.django_db
def test_a_task_left_running_by_a_dead_worker_runs_again(database_tasks):
    result = tasks.send_email.enqueue(to=["a@example.org"], subject="Again", body="b")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-that-died")  # RUNNING, and its worker is gone
    assert tasks.requeue_abandoned_tasks(timeout=60) == (0, 0)  # not yet: it may still be running
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(seconds=61))
    assert tasks.requeue_abandoned_tasks(timeout=60) == (1, 0)
    assert run_task_worker() == 1
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.attempts == 2
    assert [m.subject for m in mail.outbox] == ["Again"]


@pytest.mark.django_db
def test_a_task_abandoned_too_often_ends_failed_with_the_reason(database_tasks, settings):
    settings.HUB_TASK_ABANDONED_ATTEMPTS = 1
    result = tasks.run_localize_job.enqueue("wagtail_localize.synctree.synchronize_tree", [], [])
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-that-died")
    later = timezone.now() + timedelta(hours=1)
    assert tasks.requeue_abandoned_tasks(timeout=60, now=later) == (0, 1)
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "hub.tasks.WorkerLost"


@pytest.mark.django_db
def test_oldest_waiting_task_age(database_tasks):
    assert tasks.oldest_waiting_task_age() is None
    result = tasks.send_email.enqueue(to=["a@example.org"], subject="s", body="b")
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(seconds=90))
    assert 89 <= tasks.oldest_waiting_task_age() <= 95


@pytest.mark.django_db
def test_localize_jobs_store_references_not_pickled_instances(database_tasks, locales):
    backend = tasks.DjangoTasksJobBackend({})
    seen = []
    result = backend.enqueue(_record_job, [locales["fr"], [locales["es"]], 3], {"who": locales["ar"]})
    stored = DBTaskResult.objects.get(pk=result.id).args_kwargs
    assert "pickle" not in json.dumps(stored) and "fr" not in json.dumps(stored)
    # The worker refuses anything but a wagtail-localize job, so a forged row cannot run code.
    with pytest.raises(ValueError, match="Not a wagtail-localize job"):
        tasks.run_localize_job.call(*stored["args"])
    seen.extend(tasks._unpack(stored["args"][1:]))
    args, kwargs = seen
    assert args == [locales["fr"], [locales["es"]], 3]
    assert kwargs == {"who": locales["ar"]}
    assert isinstance(args[0], Locale)


def _record_job(*args, **kwargs):
    return args, kwargs


@pytest.mark.django_db
def test_invitation_task_holds_ids_and_makes_the_link_when_it_runs(database_tasks, client, two_partners):
    out = io.StringIO()
    call_command("invite_partner", "alpha", "queued@example.org", stdout=out)
    assert "queued (task" in out.getvalue() and "sent to" not in out.getvalue()
    (row,) = DBTaskResult.objects.filter(task_path="partners.invitations.send_invitation")
    stored = json.dumps(row.args_kwargs)
    assert "password" not in stored and "http" not in stored and "queued@example.org" not in stored
    assert not mail.outbox
    run_task_worker()
    (message,) = mail.outbox
    assert re.search(r"http://testserver/admin/password_reset/confirm/\S+", message.body)


@pytest.mark.django_db
def test_invite_command_says_sent_only_when_sent(two_partners, refusing_smtp):
    with pytest.raises(CommandError, match=r"invitation to bounce@example.org failed \(SMTPConnectError\)"):
        call_command("invite_partner", "alpha", "bounce@example.org", stdout=io.StringIO())
    assert get_user_model().objects.filter(email="bounce@example.org").exists()


@pytest.mark.django_db
def test_an_indexing_task_whose_object_was_deleted_meanwhile_is_done_not_failed(database_tasks):
    person = PersonFactory()
    waiting = DBTaskResult.objects.filter(args_kwargs__args__2=str(person.pk), task_path="wagtail.tasks.update_reference_index_task")
    assert waiting.exists()
    person.delete()  # before the worker got to it (modelcluster does this to authors and speakers)
    run_task_worker()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
    assert set(waiting.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


@pytest.mark.slow
@pytest.mark.django_db
def test_loading_the_demo_leaves_no_failed_task(database_tasks):
    call_command("load_demo_content", stdout=io.StringIO())
    assert DBTaskResult.objects.count() > 100
    run_task_worker()
    failed = list(DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).values_list("task_path", "exception_class_path"))
    assert failed == []
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
