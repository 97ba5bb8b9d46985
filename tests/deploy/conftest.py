"""The production smoke test: the deploy/ stack on loopback, checked through nginx as a visitor and an editor would.

One session builds it with the README's Deploy commands (``deploy/commands``) and runs:

    nginx (TLS, self-signed)  ->  Varnish  ->  gunicorn A, gunicorn B      (+ a db_worker)
                                               PostgreSQL, Redis, moto's S3 server

PostgreSQL and Redis are the machine's, with databases of the test's own (``HUB_SMOKE_DB``,
default ``hub_smoke`` and ``hub_smoke_restore``; ``HUB_SMOKE_REDIS_URL``, default database 3);
the other processes are started here, on ports from ``HUB_SMOKE_PORT`` (default 8300) upwards,
and all are stopped, the databases dropped and the folders removed at the end.
Run it with ``deploy/smoke-test`` (``.ci/run`` does).
"""

import os
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
import requests

from django.conf import settings

from deploy import render
from deploy.serve import Supervisor, wait_for

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
EDITOR = {"username": "smoke-editor", "password": "a-long-smoke-test-password-1", "email": "smoke@example.org"}


def pytest_collection_modifyitems(config, items):
    """Every test here is part of the deploy smoke test: slow, and run by deploy/smoke-test only."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.deploy)
            item.add_marker(pytest.mark.slow)


@dataclass
class Stack:
    """Addresses, environment and helpers of the running stack."""

    work: Path
    ports: dict
    env: dict
    restore_env: dict
    certificate: Path
    supervisor: Supervisor
    timings: dict = field(default_factory=dict)

    @property
    def url(self):
        return f"https://127.0.0.1:{self.ports['nginx']}"

    @property
    def host(self):
        return f"127.0.0.1:{self.ports['nginx']}"

    def instance_url(self, name):
        return f"http://127.0.0.1:{self.ports[name]}"

    def session(self):
        """A browser-like client of the public address (TLS checked against the self-signed certificate)."""
        client = requests.Session()
        client.trust_env = False  # no proxy and no CA bundle from the environment: loopback, our certificate
        client.verify = str(self.certificate)
        return client

    def direct(self, name, path, **kwargs):
        """GET path from one app instance directly, as nginx would ask it (same host, https)."""
        headers = {"Host": self.host, "X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
        with requests.Session() as client:
            client.trust_env = False
            return client.get(f"{self.instance_url(name)}{path}", headers=headers, timeout=30, **kwargs)

    def query(self, statement):
        """The value a Python expression gives in this installation (manage.py shell, production settings)."""
        output = self.manage("shell", "-c", f"print({statement})").stdout
        return output.strip().splitlines()[-1]  # after any log lines

    def manage(self, *args, env=None, settings_module=None, check=True):
        env = dict(env or self.env)
        if settings_module:
            env["DJANGO_SETTINGS_MODULE"] = settings_module
        return subprocess.run(
            [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=check, capture_output=True, text=True
        )

    def start_app(self, name, env):
        self.supervisor.start(
            name, f"{BASE_DIR}/.venv/bin/gunicorn --config deploy/gunicorn.conf.py", {
                **env, "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}"
            }
        )
        wait_for(
            f"{self.instance_url(name)}/healthz",
            self.supervisor,
            headers={"Host": self.host, "X-Forwarded-Proto": "https"},
            timeout=90,
        )


def psql(sql, base_url):
    subprocess.run(["psql", base_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)


def run(command, env, what):
    started = time.monotonic()
    done = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"{what} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return time.monotonic() - started


@pytest.fixture(scope="session")
def stack():
    for program in ("nginx", "varnishd", "psql", "pg_dump", "redis-cli", "openssl", "systemd-analyze"):
        if not shutil.which(program):
            pytest.fail(f"The production smoke test needs {program} (see .ci/run for the packages).")
    base_port = int(os.environ.get("HUB_SMOKE_PORT", "8300"))
    names = ["nginx", "varnish", "app_a", "app_b", "s3", "app_restored", "smtp"]
    ports = {name: base_port + 1 + index for index, name in enumerate(names)}
    # A folder of its own, not pytest's rotating base folder (another pytest session on the machine
    # may prune that while the stack runs); removed at the end unless HUB_SMOKE_KEEP=1.
    work = Path(tempfile.mkdtemp(prefix="hub-smoke-"))
    work.chmod(0o755)  # Varnish's compiler and nginx's workers read files here
    supervisor = Supervisor(cwd=BASE_DIR, log_dir=work)
    pg_base = os.environ.get("HUB_SMOKE_PG", "postgres://postgres@127.0.0.1:5432")
    db_name = os.environ.get("HUB_SMOKE_DB", "hub_smoke")
    databases = [db_name, f"{db_name}_restore"]
    redis_url = os.environ.get("HUB_SMOKE_REDIS_URL", "redis://127.0.0.1:6379/3")
    for database in databases:
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f"{pg_base}/postgres")
        psql(f'CREATE DATABASE "{database}"', f"{pg_base}/postgres")
    subprocess.run(["redis-cli", "-u", redis_url, "flushdb"], check=True, capture_output=True)

    certificate = Path(subprocess.run([BASE_DIR / "deploy" / "tls-selfsigned", work / "tls"], check=True,
                                      capture_output=True, text=True).stdout.strip())
    public = f"https://127.0.0.1:{ports['nginx']}"
    s3_url = f"http://127.0.0.1:{ports['s3']}"
    for folder in ("app-tmp", "media-unused", "backups", "nginx-site", "varnish"):
        (work / folder).mkdir()
        (work / folder).chmod(0o755)
    base_env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DEBUG"))},
        "DJANGO_SETTINGS_MODULE": "hub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WAGTAILADMIN_BASE_URL": public,
        "HUB_PUBLIC_URL": public,
        # The smoke test signs in with a password only: two-factor sign-in has its own tests.
        "HUB_ADMIN_2FA_REQUIRED": "false",
        "PROXY_COUNT": "2",  # nginx, then Varnish
        "HUB_MEDIA_STORAGE": "s3",
        "AWS_S3_ENDPOINT_URL": s3_url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "smoke",
        "AWS_SECRET_ACCESS_KEY": "smoke-secret",
        "HUB_MEDIA_ROOT": str(work / "media-unused"),  # must stay empty: uploads go to the bucket
        "HUB_STATIC_ROOT": str(work / "static"),
        "HUB_APP_SERVERS": f"127.0.0.1:{ports['app_a']},127.0.0.1:{ports['app_b']}",
        "HUB_FRONTEND_CACHE_URL": f"http://127.0.0.1:{ports['varnish']}",
        "HUB_TLS_CERTIFICATE": str(certificate),
        "HUB_TLS_CERTIFICATE_KEY": str(certificate.with_suffix(".key")),
        "HUB_NGINX_DIR": str(work / "nginx-site"),
        "HUB_VARNISH_VCL": str(work / "varnish" / "hub.vcl"),
        "HUB_BACKUP_DIR": str(work / "backups"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(ports["smtp"]),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "TMPDIR": str(work / "app-tmp"),
    }
    env = {
        **base_env,
        "DATABASE_URL": f"{pg_base}/{db_name}",
        "REDIS_URL": redis_url,
        "AWS_STORAGE_BUCKET_NAME": "hub-media",
    }
    # The restored installation: its own database and bucket, no Redis (the embedded database cache).
    restore_env = {
        **base_env,
        "DATABASE_URL": f"{pg_base}/{databases[1]}",
        "AWS_STORAGE_BUCKET_NAME": "hub-media-restored",
        "HUB_FRONTEND_CACHE_URL": "",
    }
    stack = Stack(work, ports, env, restore_env, certificate, supervisor)
    try:
        started = time.monotonic()
        supervisor.start("s3", f"{BASE_DIR}/.venv/bin/moto_server -H 127.0.0.1 -p {ports['s3']}", env)
        wait_for(f"{s3_url}/moto-api/", supervisor, timeout=60)
        s3 = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1",
                          aws_access_key_id="smoke", aws_secret_access_key="smoke-secret")
        for bucket in ("hub-media", "hub-media-restored"):
            s3.create_bucket(Bucket=bucket)
            # As the README says: renditions public, originals and documents private.
            s3.put_bucket_policy(Bucket=bucket, Policy=render.bucket_policy({"AWS_STORAGE_BUCKET_NAME": bucket}))
        stack.s3 = s3

        stack.timings["deploy/commands"] = run([BASE_DIR / "deploy" / "commands"], env, "deploy/commands (README, Deploy)")
        check_rendered_configuration(stack)
        stack.timings["demo content"] = run(
            [PYTHON, "manage.py", "load_demo_content"], {**env, "DJANGO_SETTINGS_MODULE": "hub.settings.dev"},
            "load_demo_content",
        )
        run([PYTHON, "manage.py", "createsuperuser", "--noinput"],
            {**env, **{f"DJANGO_SUPERUSER_{key.upper()}": value for key, value in EDITOR.items()}}, "createsuperuser")

        stack.start_app("app_a", env)
        stack.start_app("app_b", env)
        supervisor.start("worker", f"{PYTHON} manage.py db_worker", env)
        supervisor.start(
            "varnish",
            f"varnishd -F -j none -a 127.0.0.1:{ports['varnish']} -f {env['HUB_VARNISH_VCL']} "
            f"-n {work / 'varnish' / 'state'} -s malloc,64m -T none",
            env,
        )
        nginx_dir = work / "nginx-local"
        render.render_nginx_local(nginx_dir, f"127.0.0.1:{ports['nginx']} ssl", env, certificate,
                                  certificate.with_suffix(".key"))
        supervisor.start("nginx", f"nginx -p {nginx_dir} -c {nginx_dir / 'nginx.conf'}", env)
        wait_for(f"{public}/healthz", supervisor, context=ssl.create_default_context(cafile=certificate), timeout=60)
        stack.timings["stack up"] = time.monotonic() - started
        yield stack
    finally:
        supervisor.stop()
        for database in databases:
            psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f"{pg_base}/postgres")
        subprocess.run(["redis-cli", "-u", redis_url, "flushdb"], capture_output=True)
        for name, seconds in stack.timings.items():
            print(f"{name}: {seconds:.1f} s", file=sys.stderr)
        if os.environ.get("HUB_SMOKE_KEEP") == "1":
            print(f"Logs and files kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def check_rendered_configuration(stack):
    """The host configuration deploy/commands rendered is valid for nginx and Varnish."""
    site = Path(stack.env["HUB_NGINX_DIR"])
    wrapper = site / "check.conf"
    # What Debian's nginx.conf loads from modules-enabled/ (by absolute path: -p moves relative ones).
    modules = "\n".join(f"load_module {render.NGINX_MODULES / name};" for name in render.BROTLI_MODULES) if (
        render.brotli_available()
    ) else ""
    wrapper.write_text(
        f"{modules}\npid {site}/check.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    include {site}/hub.conf;\n}}\n"
    )
    done = subprocess.run(["nginx", "-t", "-q", "-p", str(site), "-c", str(wrapper)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        ["varnishd", "-C", "-j", "none", "-f", stack.env["HUB_VARNISH_VCL"], "-n", str(stack.work / "varnish" / "check")],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
