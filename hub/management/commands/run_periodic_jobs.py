"""The scheduler of periodic jobs (``hub.periodic``): scheduled publishing, pruning, and every job an app registers."""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from hub.models import PeriodicJobState
from hub.periodic import periodic_jobs, run_due_jobs, run_job, seconds_until_next_due


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that are due: with --once a single pass (for a timer), otherwise in a loop "
        "(development, or a long-running service). Several hosts may run it: each job runs once per interval."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--once", action="store_true", help="run the due jobs once and exit")
        group.add_argument("--list", action="store_true", help="list the jobs, their interval and last outcome")
        group.add_argument("--run", metavar="NAME", help="run the job NAME now, due or not, and exit")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="longest sleep between passes in the loop (seconds)"
        )

    def handle(self, *args, once=False, list=False, run=None, interval=30.0, **options):
        if list:
            return self.list_jobs()
        if run:
            job = periodic_jobs().get(run)
            if job is None:
                raise CommandError(f"No periodic job is called {run!r}; `run_periodic_jobs --list` shows them.")
            ran, outcome, message = run_job(job, force=True)
            if not ran:
                raise CommandError(f"{run} is running on another host; try again when it has finished.")
            self.report(job.name, outcome, message)
            if outcome != "ok":
                raise CommandError(f"{run} failed: {message}")
            return None
        if once:
            for name, outcome, message in run_due_jobs():
                self.report(name, outcome, message)
            return None
        self.loop(interval)
        return None

    def report(self, name, outcome, message):
        style = self.style.SUCCESS if outcome == "ok" else self.style.ERROR
        self.stdout.write(style(f"{name}: {outcome}" + (f" ({message})" if message else "")))

    def list_jobs(self):
        states = {state.name: state for state in PeriodicJobState.objects.all()}
        for name, job in periodic_jobs().items():
            state = states.get(name)
            last = (
                f"last {state.last_finished_at:%Y-%m-%d %H:%M:%S} {state.last_outcome}"
                if state and state.last_finished_at
                else "never run"
            )
            due = f"next {state.next_run_at:%Y-%m-%d %H:%M:%S}" if state and state.next_run_at else "due now"
            self.stdout.write(f"{name}\tevery {job.every}\t{due}\t{last}")

    def loop(self, interval):
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stdout.write(f"Running {len(periodic_jobs())} periodic jobs; Ctrl+C stops.")
        while not stopping:
            close_old_connections()
            try:
                for name, outcome, message in run_due_jobs():
                    self.report(name, outcome, message)
                wait = min(interval, max(1.0, seconds_until_next_due()))
            except Exception as error:
                self.stderr.write(f"Periodic jobs paused: {type(error).__name__}: {error}")
                wait = interval
            close_old_connections()
            deadline = time.monotonic() + wait
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, deadline - time.monotonic()))
