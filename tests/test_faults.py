"""Faults injected into a running site (slow tier): production settings under gunicorn, changes made
from other processes, Redis stopped, a database that never answers, a task worker killed mid-task.

Each test starts its own servers on ports 8100-8199 (Redis on 6391-6399) and stops them.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from django.conf import settings
from django.core import signing

from partners.choices import PartnerType
from partners.join import JoinForm

pytestmark = pytest.mark.slow

BASE_DIR = Path(settings.BASE_DIR)
SECRET = "fault-test-" + "s" * 60
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
ARTICLE_SLUG = "water-networks"


def free_port(first, last):
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {first}-{last}")


def site_env(database_url, **extra):
    """The environment of a production process of the test site."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.fault_settings",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WAGTAILADMIN_BASE_URL="https://127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        HUB_PAGE_CACHE_SECONDS="300",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, script=None, check=True, timeout=300):
    command = [PYTHON, "manage.py", *args]
    if script is not None:
        command = [PYTHON, "manage.py", "shell", "-c", script]
    done = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode:
        pytest.fail(f"{' '.join(command[:4])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


CREATE_ARTICLE = f"""
import datetime
from wagtail.models import Locale
from articles.models import ArticleIndexPage, ArticlePage
index = ArticleIndexPage.objects.get(locale__language_code="en")
page = ArticlePage(title="Water networks", slug="{ARTICLE_SLUG}", kind="news", date=datetime.date(2025, 1, 1), summary="Pumps.")
index.add_child(instance=page)
page.save_revision().publish()
# As the admin's "after create page" hook does: an alias in every synchronised locale.
from wagtail_localize.synctree import synchronize_tree
english = Locale.objects.get(language_code="en")
for locale in Locale.objects.exclude(pk=english.pk):
    synchronize_tree(english, locale)
"""


def publish_script(title):
    """Publish a new title of the English article from a process of its own (as manage.py or the admin would)."""
    return f"""
from articles.models import ArticlePage
page = ArticlePage.objects.get(locale__language_code="en", slug="{ARTICLE_SLUG}")
page.title = "{title}"
page.save_revision().publish()
"""


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    """A SQLite database that `migrate` installed, with one English article (aliased in es, fr, ar)."""
    path = tmp_path_factory.mktemp("fault-template") / "site.sqlite3"
    env = site_env(f"sqlite:///{path}")
    manage(env, "migrate", "--noinput", timeout=600)
    manage(env, script=CREATE_ARTICLE)
    return path


@pytest.fixture
def sqlite_site(migrated_sqlite, tmp_path):
    path = tmp_path / "site.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}", path


def postgres_available():
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return shutil.which("psql") is not None
    except OSError:
        return False


@pytest.fixture
def postgres_site():
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"hub_ops1_faults_{os.getpid()}"
    admin = [shutil.which("psql"), "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c"]
    subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True)
    subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True, capture_output=True)
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    env = site_env(url)
    manage(env, "migrate", "--noinput", timeout=600)
    manage(env, script=CREATE_ARTICLE)
    yield url, None
    subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


class Server:
    """gunicorn serving the site with production settings; stopped (its process group only) at the end."""

    def __init__(self, env, workers=2, log_dir=None):
        self.port = free_port(8100, 8199)
        self.log = (log_dir or Path("/tmp")) / f"gunicorn-{self.port}.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [GUNICORN, "hub.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", str(workers)]
                + ["--timeout", "60", "--graceful-timeout", "5"],
                cwd=BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn stopped:\n{self.log.read_text()[-3000:]}")
            try:
                self.request("GET", "/healthz", timeout=10)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")

    def request(self, method, path, body=None, headers=None, timeout=20):
        """(status, headers, text, seconds)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text, time.monotonic() - started
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def join(self, organisation):
        """Submit the join form as a browser would (CSRF cookie and token, signed start time)."""
        status, headers, html, _ = self.get("/en/join/")
        assert status == 200, html[-500:]
        cookie = re.search(r"(__Host-csrftoken=[^;]+)", headers["set-cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "organisation": organisation,
            "partner_type": PartnerType.CITY_AUTHORITY.value,
            "country": "FR",
            "contact_name": "Ada",
            "email": "ada@example.org",
            "message": "We run water networks.",
            "consent": "on",
            "homepage": "",
            "started": signing.dumps(time.time() - 60, key=SECRET, salt=JoinForm.spam_salt),
        }
        return self.request(
            "POST",
            "/en/join/",
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"https://127.0.0.1:{self.port}/en/join/",
            },
        )

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@contextmanager
def serving(env, workers=2, log_dir=None):
    server = Server(env, workers=workers, log_dir=log_dir)
    try:
        yield server
    finally:
        server.stop()


def titles(server, path, times):
    """The <h1> of ``path`` (or its status) over ``times`` requests, spread over the workers."""
    seen = []
    for _ in range(times):
        status, headers, html, _ = server.get(path)
        match = re.search(r"<h1[^>]*>\s*([^<]+?)\s*</h1>", html)
        seen.append((match.group(1) if match and status == 200 else status, headers.get("x-cache")))
    return seen


# --- Shared cache: two processes, no Redis ----------------------------------------------------


def logged_request_ids(server):
    lines = [line for line in server.log.read_text().splitlines() if line.startswith("{")]
    return {entry.get("request_id") for entry in map(json.loads, lines) if entry.get("event") == "request_finished"}


def test_request_lines_reach_the_log_within_log_flush_seconds_and_when_a_worker_stops(sqlite_site, tmp_path):
    """Production writes info lines in batches (hub.logs.BufferedStreamHandler): in a worker that
    gets no more requests they are written when due, and a stopping worker writes what is pending."""
    url, _path = sqlite_site
    path = f"/en/articles/{ARTICLE_SLUG}/"
    with serving(site_env(url, LOG_LEVEL="INFO", LOG_FLUSH_SECONDS="0.5"), workers=1, log_dir=tmp_path) as server:
        ids = {server.get(path)[1]["x-request-id"] for _ in range(2)}  # a miss and a hit
        deadline = time.monotonic() + 10
        while not ids <= logged_request_ids(server) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ids <= logged_request_ids(server)
    with serving(site_env(url, LOG_LEVEL="INFO", LOG_FLUSH_SECONDS="60"), workers=1, log_dir=tmp_path) as server:
        ids = {server.get(path)[1]["x-request-id"] for _ in range(3)}
        time.sleep(1)
        assert not ids & logged_request_ids(server)  # pending: at most 60 s late
        server.stop()
        assert ids <= logged_request_ids(server)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_two_workers_without_redis_never_serve_a_stale_page_and_share_the_join_limit(database, request, tmp_path):
    url, _path = request.getfixturevalue(f"{database}_site")
    env = site_env(url)
    with serving(env, workers=2, log_dir=tmp_path) as server:
        before = titles(server, f"/en/articles/{ARTICLE_SLUG}/", 12)
        assert {title for title, _ in before} == {"Water networks"}
        assert any(cache == "hit" for _, cache in before), "the page cache is on and shared"
        manage(env, script=publish_script("Water networks, revised"))
        after = titles(server, f"/en/articles/{ARTICLE_SLUG}/", 12)
        assert {title for title, _ in after} == {"Water networks, revised"}, after
        manage(env, script=f'from articles.models import ArticlePage; ArticlePage.objects.get(locale__language_code="en", slug="{ARTICLE_SLUG}").unpublish()')
        assert {title for title, _ in titles(server, f"/en/articles/{ARTICLE_SLUG}/", 12)} == {404}
        statuses = [server.join(f"Organisation {n}")[0] for n in range(12)]
        assert statuses == [302] * 10 + [429] * 2, statuses


def test_production_with_a_per_process_cache_and_the_page_cache_on_refuses_to_start(tmp_path):
    env = site_env(f"sqlite:///{tmp_path / 'x.sqlite3'}", HUB_TEST_LOCAL_CACHE="1")
    done = manage(env, "check", check=False)
    assert done.returncode == 1
    (line,) = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert line.startswith("Configuration error: The page cache is on but the default cache is local to each process")
    env["HUB_PAGE_CACHE_SECONDS"] = "0"
    assert manage(env, "check", check=False).returncode == 0


# --- Redis stopped ------------------------------------------------------------------------------


class Redis:
    """A redis-server of the test's own, on a port of its own, whose data survive a restart."""

    def __init__(self, directory):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = free_port(6391, 6399)
        self.directory = directory
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
            + ["--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail("redis-server did not start")

    def stop(self):
        """Stop it the way an outage would, but keep its data (the old pages and generation) for the restart."""
        subprocess.run([shutil.which("redis-cli") or "/usr/bin/redis-cli", "-p", str(self.port), "shutdown", "save"], capture_output=True, timeout=10)
        self.process.wait(timeout=10)

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def applications(path):
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT organisation FROM partners_membershipapplication")]


def test_with_redis_stopped_pages_forms_and_publishing_work_from_the_database(sqlite_site, tmp_path):
    url, path = sqlite_site
    redis = Redis(tmp_path)
    env = site_env(url, REDIS_URL=f"redis://127.0.0.1:{redis.port}/0")
    article = f"/{{}}/articles/{ARTICLE_SLUG}/"
    try:
        with serving(env, workers=2, log_dir=tmp_path) as server:
            for code in ("en", "es", "fr", "ar"):
                assert {t for t, _ in titles(server, article.format(code), 4)} == {"Water networks"}
            status, _, body, _ = server.get("/healthz")
            assert status == 200 and json.loads(body)["checks"]["cache"]["ok"] is True

            redis.stop()
            for path_ in ("/en/", "/ar/articles/", "/fr/events/"):
                for _ in range(4):
                    status, _, _, seconds = server.get(path_)
                    assert status == 200, path_
                    assert seconds < 3, f"{path_} took {seconds:.1f} s with Redis down"
            status, _, body, seconds = server.get("/healthz")
            checks = json.loads(body)["checks"]
            assert status == 200 and seconds < 3
            assert checks["cache"]["ok"] is False and checks["database"]["ok"] is True
            status, _, _, _ = server.join("Redis-down Ltd")
            assert status == 302
            assert "Redis-down Ltd" in applications(path)
            done = manage(env, script=publish_script("Water networks, published during the outage"))
            assert "Traceback" not in done.stderr
            for code in ("en", "es", "fr", "ar"):
                seen = {t for t, _ in titles(server, article.format(code), 4)}
                assert seen == {"Water networks, published during the outage"}, (code, seen)

            redis.start()  # with the pages and the generation it had before the outage
            time.sleep(6)  # the backends try Redis again after a few seconds
            for code in ("en", "es", "fr", "ar"):
                seen = titles(server, article.format(code), 6)
                assert {t for t, _ in seen} == {"Water networks, published during the outage"}, (code, seen)
            assert any(cache == "hit" for code in ("en",) for _, cache in titles(server, article.format(code), 4))
            status, _, body, _ = server.get("/healthz")
            assert json.loads(body)["checks"]["cache"]["ok"] is True
    finally:
        redis.close()


# --- Database down or hung ------------------------------------------------------------------------


class SilentListener:
    """Accepts TCP connections and never says a word (a hung PostgreSQL)."""

    def __init__(self):
        self.port = free_port(8100, 8199)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(64)
        self.held = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_database_that_never_answers_gives_503_quickly_and_healthz_says_so(tmp_path):
    listener = SilentListener()
    env = site_env(f"postgres://hub:secret@127.0.0.1:{listener.port}/hub")
    try:
        with serving(env, workers=1, log_dir=tmp_path) as server:
            time.sleep(5.5)  # the start-up check marked the database down: let that mark expire
            status, headers, _, seconds = server.get("/en/events/")
            print(f"database hung, first request: /en/events/ {status} in {seconds:.2f} s")
            assert status == 503 and headers["retry-after"] == "30" and seconds < 5, seconds
            pages = {"/en/": "Temporarily unavailable", "/fr/articles/": "Temporairement indisponible"}
            pages.update({"/en/join/": "Temporarily unavailable", "/ar/": "غير متاح مؤقتًا"})
            for path, heading in pages.items():
                status, headers, html, seconds = server.get(path)
                assert status == 503, (path, status)
                assert seconds < 5, f"{path} took {seconds:.1f} s"
                assert headers["retry-after"] == "30"
                assert heading in html, path
                print(f"database hung: {path} {status} in {seconds:.2f} s")  # shown with -s
            status, _, _, _ = server.get("/admin/login/")
            assert status == 503
            status, _, body, seconds = server.get("/healthz")
            print(f"database hung: /healthz {status} in {seconds:.2f} s")
            assert status == 503 and seconds < 3, seconds
            checks = json.loads(body)["checks"]
            assert checks["database"]["ok"] is False
            assert set(checks) == {"database", "cache", "tasks"}
    finally:
        listener.close()


# --- Tasks: a worker killed mid-task ---------------------------------------------------------------


class SMTPServer:
    """A tiny SMTP server: ``hang`` accepts and never answers; otherwise it takes every message."""

    def __init__(self, hang=False):
        self.hang = hang
        self.port = free_port(8100, 8199)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(16)
        self.messages = []
        self.held = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.hang:
                self.held.append(conn)
                continue
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        stream = conn.makefile("rwb")

        def reply(line):
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        reply("220 test ESMTP")
        data = None
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if data is not None:
                if line == ".":
                    self.messages.append("\n".join(data))
                    data = None
                    reply("250 queued")
                else:
                    data.append(line)
                continue
            verb = line.split(" ", 1)[0].upper()
            if verb == "DATA":
                data = []
                reply("354 go ahead")
            elif verb == "QUIT":
                reply("221 bye")
                break
            else:
                reply("250 ok")
        conn.close()

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def task_rows(path):
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = 'hub.tasks.send_email'"
        ).fetchall()


def test_a_task_whose_worker_was_killed_runs_again(sqlite_site, tmp_path):
    url, path = sqlite_site
    hung, sink = SMTPServer(hang=True), SMTPServer()
    env = site_env(url, EMAIL_HOST="127.0.0.1", EMAIL_PORT=hung.port, EMAIL_TIMEOUT=120, HUB_TASK_TIMEOUT=2)
    try:
        manage(env, script="from hub.tasks import send_email; send_email.enqueue(to=['ada@example.org'], subject='Hello again', body='b')")
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2", "--queue-name", "*"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and [row[0] for row in task_rows(path)] != ["RUNNING"]:
                time.sleep(0.2)
            assert [row[0] for row in task_rows(path)] == ["RUNNING"]
        finally:
            os.killpg(worker.pid, signal.SIGKILL)  # the machine dies mid-task
            worker.wait()
        time.sleep(3)  # past HUB_TASK_TIMEOUT
        assert [row[0] for row in task_rows(path)] == ["RUNNING"]  # nothing else would ever touch it
        done = manage(env, "run_periodic_jobs", "--run", "requeue_abandoned_tasks")
        assert "requeue_abandoned_tasks: ok (1 requeued, 0 failed)" in done.stdout
        env["EMAIL_PORT"] = str(sink.port)
        manage(env, "db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", timeout=120)
        ((status, worker_ids),) = task_rows(path)
        assert status == "SUCCESSFUL" and len(json.loads(worker_ids)) == 2
        assert len(sink.messages) == 1 and "Subject: Hello again" in sink.messages[0]
    finally:
        hung.close()
        sink.close()
