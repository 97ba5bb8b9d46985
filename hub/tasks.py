"""Background work through Django's task framework (django-tasks): mail, and wagtail-localize jobs.

wagtail-localize hands heavy jobs (translating a page subtree, synchronising a locale tree)
to a pluggable job backend. This backend turns each job into a django-tasks task, so it runs
immediately in development and tests and in the database-backed worker in production.
"""

import base64
import pickle

from django_tasks import task

from django.conf import settings
from django.core.mail import send_mail


def _encode(func, args, kwargs):
    """Pack a job into JSON-safe text; its arguments (Locales, users) are model instances."""
    return base64.b64encode(pickle.dumps((func, list(args), dict(kwargs)))).decode("ascii")


@task()
def run_localize_job(payload):
    """Run one wagtail-localize job packed by ``DjangoTasksJobBackend``."""
    # The payload was written by this application into its own task queue, never by a user.
    func, args, kwargs = pickle.loads(base64.b64decode(payload))  # noqa: S301
    func(*args, **kwargs)


class DjangoTasksJobBackend:
    """wagtail-localize job backend that enqueues on the default django-tasks backend.

    It has the interface of ``wagtail_localize.tasks.BaseJobBackend`` without importing it:
    that module loads this backend while it is being imported.
    """

    def __init__(self, options):
        self.options = options

    def enqueue(self, func, args, kwargs):
        run_localize_job.enqueue(_encode(func, args, kwargs))


@task()
def send_email(subject, message, recipient_list):
    """Send one plain-text mail from the hub's address (in the worker, not the request)."""
    send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, recipient_list)
