"""Background work through Django's task framework (django-tasks): mail, wagtail-localize jobs,
retries and recovery from dead workers.

Rules every task of the hub keeps:

- **Arguments are ids and plain values** (JSON): never a model instance, never a secret. A task
  that needs a secret (a set-password link) makes it when it runs.
- **Mail goes through ``send_email``**, which retries with backoff (``retrying``) when the SMTP
  server is unreachable or refuses, and ends FAILED with the reason after the last try.
- **A task left RUNNING by a worker that died** is queued again after
  ``settings.HUB_TASK_TIMEOUT`` seconds by ``requeue_abandoned_tasks`` (a periodic job, see
  ``hub.periodic``), and marked FAILED once its attempts are used up.

django-tasks has no retries of its own. ``retrying`` marks a task function with a policy; when
the database worker records a failure, ``retry_failed_task`` (a ``task_finished`` receiver) puts
the same result back to READY with a later ``run_after``. The result keeps its id and counts its
attempts in ``worker_ids``, so the admin and ``healthz`` see one task, not one per try.

wagtail-localize hands heavy jobs (translating a page subtree, synchronising a locale tree)
to a pluggable job backend. ``DjangoTasksJobBackend`` turns each job into a task whose
arguments are the job function's dotted path and its arguments, model instances written as
``{"__model__": <content type id>, "pk": ...}`` and loaded again in the worker.
"""

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta

from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult, get_date_max

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from wagtail_localize.components import TranslationComponentManager

logger = logging.getLogger(__name__)


# --- Retries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how soon a failed task runs again."""

    attempts: int
    on: tuple
    backoff: int
    max_backoff: int

    def delay(self, attempt):
        """Seconds to wait after failed attempt number ``attempt`` (1-based): exponential, capped."""
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1))


def retrying(attempts=5, on=(Exception,), *, backoff=30, max_backoff=3600):
    """Decorator under ``@task()``: retry the task on the exceptions ``on``, ``attempts`` tries in all.

    ``backoff`` seconds after the first failure, doubling each time up to ``max_backoff``::

        @task()
        @retrying(attempts=5, on=(OSError,))
        def send_something(...): ...

    Retries need a backend that stores results (the database worker); the immediate backend of
    development and tests runs a task once.
    """

    def decorate(func):
        func.hub_retry_policy = RetryPolicy(attempts, tuple(on), backoff, max_backoff)
        return func

    return decorate


def retry_policy(task_obj):
    """The ``RetryPolicy`` of a task, or None."""
    return getattr(getattr(task_obj, "func", None), "hub_retry_policy", None)


# Wagtail's indexing tasks take a model and a primary key. When the object is deleted before the
# worker gets to it (modelcluster replaces a page's child rows, authors or speakers, on every
# save), there is nothing left to index: that is a success, not a failure to look into.
INDEXING_TASKS = frozenset(
    {"wagtail.tasks.update_reference_index_task", "modelsearch.tasks.insert_or_update_object_task"}
)


def retry_failed_task(sender, task_result, **kwargs):
    """``task_finished`` receiver: put a failed, retryable task back in the queue with a delay
    (and record an indexing task whose object is gone as done).

    Never raises: it runs inside the worker's own error handling.
    """
    try:
        if not _forgive_vanished_object(task_result):
            _retry_failed_task(task_result)
    except Exception:
        logger.exception("Could not schedule a retry of task %s", getattr(task_result, "id", "?"))


def _exception_class(task_result):
    """The class of the task's last error, or None (``Model.DoesNotExist`` lives on a class, not a module)."""
    path = task_result.errors[-1].exception_class_path
    try:
        return import_string(path)
    except ImportError:
        owner, _dot, name = path.rpartition(".")
        try:
            return getattr(import_string(owner), name, None)
        except ImportError:
            return None


def _forgive_vanished_object(task_result):
    """An indexing task that failed because its object was deleted meanwhile: mark it SUCCESSFUL."""
    db_result = getattr(task_result, "db_result", None)
    if task_result.status != TaskResultStatus.FAILED or db_result is None or not task_result.errors:
        return False
    if task_result.task.module_path not in INDEXING_TASKS:
        return False
    exception_class = _exception_class(task_result)
    if not (isinstance(exception_class, type) and issubclass(exception_class, ObjectDoesNotExist)):
        return False
    DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.SUCCESSFUL, exception_class_path="", traceback=""
    )
    logger.info("Task %s (%s): its object was deleted before it ran; nothing to index", task_result.task.name, task_result.id)
    return True


def _retry_failed_task(task_result):
    db_result = getattr(task_result, "db_result", None)
    if task_result.status != TaskResultStatus.FAILED or db_result is None:
        return
    policy = retry_policy(task_result.task)
    if policy is None or not task_result.errors:
        return
    exception_class = _exception_class(task_result)
    if not (isinstance(exception_class, type) and issubclass(exception_class, policy.on)):
        return
    attempt = len(db_result.worker_ids)
    name = task_result.task.name
    reason = exception_class.__name__
    if attempt >= policy.attempts:
        logger.error("Task %s (%s) failed for good after %d attempts: %s", name, task_result.id, attempt, reason)
        return
    delay = policy.delay(attempt)
    DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=timezone.now() + timedelta(seconds=delay), finished_at=None
    )
    logger.warning(
        "Task %s (%s) failed (attempt %d of %d: %s); retrying in %d s",
        name,
        task_result.id,
        attempt,
        policy.attempts,
        reason,
        delay,
    )


task_finished.connect(retry_failed_task, dispatch_uid="hub-task-retry")


# --- Tasks left RUNNING by a dead worker ----------------------------------------------------


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished."""


def requeue_abandoned_tasks(timeout=None, now=None):
    """Queue again every task RUNNING for longer than ``timeout`` seconds (its worker died).

    A task with attempts left (its retry policy's, else ``settings.HUB_TASK_ABANDONED_ATTEMPTS``)
    becomes READY at once; one without ends FAILED with the reason ``WorkerLost``. Returns
    ``(requeued, failed)`` counts.
    """
    timeout = settings.HUB_TASK_TIMEOUT if timeout is None else timeout
    now = now or timezone.now()
    requeued = failed = 0
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - timedelta(seconds=timeout))
    for result in stale:
        try:
            policy = retry_policy(result.task)
        except Exception:
            policy = None
        attempts = policy.attempts if policy else settings.HUB_TASK_ABANDONED_ATTEMPTS
        same = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
        if len(result.worker_ids) < attempts:
            changed = same.update(status=TaskResultStatus.READY, run_after=get_date_max(), started_at=None)
            requeued += changed
            if changed:
                logger.warning("Task %s (%s) was abandoned by its worker; queued again", result.task_path, result.pk)
        else:
            changed = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"WorkerLost: the worker running this task stopped {len(result.worker_ids)} times "
                    f"(no result after {timeout} s); it is not tried again.\n"
                ),
            )
            failed += changed
            if changed:
                logger.error("Task %s (%s) was abandoned by its worker too often; FAILED", result.task_path, result.pk)
    return requeued, failed


def oldest_waiting_task_age(now=None):
    """Seconds the oldest READY task has been due, or None when none waits (database backend only)."""
    now = now or timezone.now()
    oldest = (
        DBTaskResult.objects.ready()
        .annotate(due=models.Case(models.When(run_after=get_date_max(), then="enqueued_at"), default="run_after"))
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    return None if oldest is None else max(0.0, (now - oldest).total_seconds())


# --- Mail ---------------------------------------------------------------------------------


def attachment(filename, content, mimetype="application/octet-stream"):
    """An attachment for ``send_email`` as plain data (bytes travel base64-encoded)."""
    if isinstance(content, bytes):
        return {
            "filename": filename,
            "content": base64.b64encode(content).decode("ascii"),
            "mimetype": mimetype,
            "base64": True,
        }
    return {"filename": filename, "content": content, "mimetype": mimetype, "base64": False}


def build_email(to, subject, body, *, html=None, reply_to=None, attachments=None, from_email=None, headers=None):
    """The ``EmailMultiAlternatives`` that ``send_email`` sends (plain values in, message out)."""
    recipients = [to] if isinstance(to, str) else list(to)
    replies = [reply_to] if isinstance(reply_to, str) else list(reply_to or [])
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=replies,
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for item in attachments or []:
        content = base64.b64decode(item["content"]) if item.get("base64") else item["content"]
        message.attach(item["filename"], content, item.get("mimetype") or "application/octet-stream")
    return message


@task()
@retrying(attempts=5, on=(OSError,))  # smtplib.SMTPException and socket timeouts are OSErrors
def send_email(to, subject, body, html=None, reply_to=None, attachments=None, from_email=None, headers=None):
    """Send one mail from the hub's address; every mail the hub sends goes through this task.

    ``to`` and ``reply_to`` are an address or a list of them; ``attachments`` a list made by
    ``attachment()``. Returns the number of messages sent (1).
    """
    message = build_email(
        to,
        subject,
        body,
        html=html,
        reply_to=reply_to,
        attachments=attachments,
        from_email=from_email,
        headers=headers,
    )
    return message.send(fail_silently=False)


def describe_outcome(result):
    """What a command tells its user about an enqueued mail: sent, queued, or failed with the reason."""
    if result.status == TaskResultStatus.SUCCESSFUL:
        return "sent"
    if result.status == TaskResultStatus.FAILED:
        reason = result.errors[-1].exception_class_path.rsplit(".", 1)[-1] if result.errors else "unknown error"
        return f"failed ({reason})"
    return f"queued (task {result.id})"


# --- wagtail-localize jobs ------------------------------------------------------------------


def _pack(value):
    """A job argument as JSON: model instances become references, lists and dicts are walked."""
    if isinstance(value, models.Model):
        return {"__model__": ContentType.objects.get_for_model(value, for_concrete_model=False).pk, "pk": value.pk}
    if isinstance(value, (list, tuple, models.QuerySet)):
        return [_pack(item) for item in value]
    if isinstance(value, dict):
        return {"__dict__": [[key, _pack(item)] for key, item in value.items()]}
    if isinstance(value, TranslationComponentManager) and not value.components:
        return None  # no translation components are registered: saving it would do nothing
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"A {type(value).__name__} cannot be a task argument")


def _unpack(value):
    if isinstance(value, list):
        return [_unpack(item) for item in value]
    if isinstance(value, dict) and "__model__" in value:
        model = ContentType.objects.get_for_id(value["__model__"]).model_class()
        return model._default_manager.get(pk=value["pk"])
    if isinstance(value, dict) and "__dict__" in value:
        return {key: _unpack(item) for key, item in value["__dict__"]}
    return value


@task()
def run_localize_job(func_path, args, kwargs):
    """Run one wagtail-localize job: ``func_path`` with the packed ``args`` and ``kwargs``."""
    if not func_path.startswith("wagtail_localize."):
        raise ValueError(f"Not a wagtail-localize job: {func_path}")
    func = import_string(func_path)
    func(*_unpack(args), **_unpack(kwargs))


class DjangoTasksJobBackend:
    """wagtail-localize job backend that enqueues on the default django-tasks backend.

    It has the interface of ``wagtail_localize.tasks.BaseJobBackend`` without importing it:
    that module loads this backend while it is being imported.
    """

    def __init__(self, options):
        self.options = options

    def enqueue(self, func, args, kwargs):
        path = f"{func.__module__}.{func.__qualname__}"
        try:
            packed = _pack(list(args)), _pack(dict(kwargs))
        except TypeError:
            # An argument that is not plain data (form data of registered translation components)
            # is never pickled into the queue: the job runs now, as wagtail-localize's default does.
            logger.info("localize job %s runs in the request: its arguments are not plain data", path)
            return func(*args, **kwargs)
        return run_localize_job.enqueue(path, *packed)
