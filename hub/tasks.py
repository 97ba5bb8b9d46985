"""Background work for wagtail-localize through Django's task framework (django-tasks).

wagtail-localize hands heavy jobs (translating a page subtree, synchronising a locale tree)
to a pluggable job backend. This backend turns each job into a django-tasks task, so it runs
immediately in development and tests and in the database-backed worker in production.
"""

import base64
import pickle

from django_tasks import task

from wagtail_localize.tasks import BaseJobBackend


def _encode(func, args, kwargs):
    """Pack a job into JSON-safe text; its arguments (Locales, users) are model instances."""
    return base64.b64encode(pickle.dumps((func, list(args), dict(kwargs)))).decode("ascii")


@task()
def run_localize_job(payload):
    """Run one wagtail-localize job packed by ``DjangoTasksJobBackend``."""
    # The payload was written by this application into its own task queue, never by a user.
    func, args, kwargs = pickle.loads(base64.b64decode(payload))  # noqa: S301
    func(*args, **kwargs)


class DjangoTasksJobBackend(BaseJobBackend):
    """wagtail-localize job backend that enqueues on the default django-tasks backend."""

    def enqueue(self, func, args, kwargs):
        run_localize_job.enqueue(_encode(func, args, kwargs))
