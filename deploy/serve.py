"""``make serve``: the production stack on this machine, as an ordinary user, in one command.

nginx (run as you, on HOST:PORT, its configuration rendered into a temporary folder), gunicorn,
the task worker and the periodic-jobs scheduler, i.e. every line of ``deploy/Procfile``, with
production settings. The database is SQLite and the cache the embedded one unless DATABASE_URL
and REDIS_URL say otherwise; media stay in ``media/`` unless HUB_MEDIA_STORAGE=s3. Before
starting it runs the release build (``deploy/build``) and, when the site is empty, loads the demo
content and creates the development superuser (development settings, for those two commands only).

Ctrl-C (or SIGTERM) stops every process it started, and the temporary folder goes with them.
"""

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
sys.path.insert(0, str(BASE_DIR))

from deploy import render  # noqa: E402 (run as a script from any folder)

PYTHON = BASE_DIR / ".venv" / "bin" / "python"


def procfile(path=HERE / "Procfile"):
    """The (name, command) pairs of a Procfile, in order."""
    entries = []
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            entries.append((name.strip(), command.strip()))
    return entries


class Supervisor:
    """Start commands in their own process groups, relay or log their output, stop them all."""

    def __init__(self, cwd=BASE_DIR, log_dir=None, echo=True):
        self.cwd = cwd
        self.log_dir = Path(log_dir) if log_dir else None
        self.echo = echo
        self.processes = {}

    def start(self, name, command, env):
        """Run command (a shell line) in a new session, so one signal reaches all it started."""
        output = (self.log_dir / f"{name}.log").open("ab") if self.log_dir else subprocess.PIPE
        if not any(mark in command for mark in (";", "&", "|", "\n")):
            command = f"exec {command}"  # the program itself leads the group and gets the signals
        process = subprocess.Popen(  # noqa: S602 (Procfile lines are shell lines by definition)
            command,
            shell=True,
            cwd=self.cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        if output is subprocess.PIPE:
            threading.Thread(target=self._relay, args=(name, process.stdout), daemon=True).start()
        self.processes[name] = process
        return process

    def _relay(self, name, stream):
        for raw in iter(stream.readline, b""):
            if self.echo:
                sys.stdout.write(f"{name:>9} | {raw.decode(errors='replace')}")
                sys.stdout.flush()

    def exited(self):
        """(name, exit code) of a process that stopped on its own, or None."""
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name, process.returncode
        return None

    def stop(self, timeout=20):
        """SIGTERM to every process group; SIGKILL to whatever is still running after timeout seconds.

        gunicorn and nginx finish their requests and reap their workers on SIGTERM, so each group
        is given time to empty (its leader may go first: a shell loop, for instance).
        """
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        while time.monotonic() < deadline and any(group_members(p.pid) for p in self.processes.values()):
            time.sleep(0.1)
        for process in self.processes.values():
            if group_members(process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        self.processes.clear()


def group_members(pgid):
    """Live (not zombie) processes of a process group, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def wait_for(url, supervisor=None, timeout=90, context=None, headers=None):
    """Poll url until it answers 200; fail early if a supervised process stops."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    while time.monotonic() < deadline:
        if supervisor and (stopped := supervisor.exited()):
            raise RuntimeError(f"{stopped[0]} stopped (exit code {stopped[1]}) while starting")
        try:
            with urllib.request.urlopen(request, timeout=3, context=context) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def self_signed_certificate(folder):
    """A certificate for localhost and 127.0.0.1 (deploy/tls-selfsigned), for local TLS only."""
    subprocess.run([HERE / "tls-selfsigned", folder], check=True, stdout=subprocess.DEVNULL)
    return Path(folder) / "hub.crt", Path(folder) / "hub.key"


def serve_env(host, port, run_dir, tls):
    """Production settings for this machine; what the caller's environment sets wins."""
    env = {name: value for name, value in os.environ.items() if name != "DEBUG"}
    address = f"{'https' if tls else 'http'}://{host}:{port}"
    env["DJANGO_SETTINGS_MODULE"] = "hub.settings.production"
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    env.setdefault("ALLOWED_HOSTS", f"{host},localhost")
    env.setdefault("WAGTAILADMIN_BASE_URL", address)
    env.setdefault("HUB_PUBLIC_URL", address)
    # Without TLS there is nothing to redirect to; with it, nginx terminates TLS as in production.
    env.setdefault("SECURE_SSL_REDIRECT", "true" if tls else "false")
    env.setdefault("PROXY_COUNT", "1")  # nginx is the one proxy in front
    env.setdefault("HUB_X_ACCEL_REDIRECT", "true")
    socket_path = f"unix:{run_dir}/gunicorn.sock"
    env["GUNICORN_BIND"] = socket_path
    env["HUB_APP_SERVERS"] = socket_path
    env["HUB_RUN_DIR"] = str(run_dir)
    return env


def manage(*args, env, settings=None):
    """Run a manage.py command (optionally under other settings); stop on failure."""
    if settings:
        env = {**env, "DJANGO_SETTINGS_MODULE": settings}
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve the hub with production settings behind nginx.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--tls", action="store_true", help="HTTPS with a self-signed certificate")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo content into an empty site")
    args = parser.parse_args(argv)
    if not shutil.which("nginx"):
        sys.exit("make serve needs nginx: apt-get install nginx-light (it is run as you, on your port).")

    run_dir = Path(tempfile.mkdtemp(prefix="hub-serve-"))
    supervisor = Supervisor()

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        env = serve_env(args.host, args.port, run_dir, args.tls)
        subprocess.run([HERE / "build"], cwd=BASE_DIR, env=env, check=True)
        if not args.no_demo:
            manage("load_demo_content", "--if-empty", env=env, settings="hub.settings.dev")
            manage("create_dev_superuser", env=env, settings="hub.settings.dev")
        certificate = self_signed_certificate(run_dir) if args.tls else (None, None)
        render.render_nginx_local(run_dir, f"{args.host}:{args.port}", env, *certificate)
        for name, command in procfile():
            supervisor.start(name, command, env)
        context = ssl.create_default_context(cafile=certificate[0]) if args.tls else None
        address = env["HUB_PUBLIC_URL"]
        wait_for(f"{address}/healthz", supervisor, context=context)
        print(f"\nServing {address}/ with production settings ({', '.join(supervisor.processes)}).")
        print("Ctrl-C stops every process.\n", flush=True)
        while True:
            if stopped := supervisor.exited():
                print(f"{stopped[0]} stopped (exit code {stopped[1]}); stopping the rest.", file=sys.stderr)
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"make serve: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("Stopping...", flush=True)
        supervisor.stop()
        shutil.rmtree(run_dir, ignore_errors=True)
        print("Stopped.")


if __name__ == "__main__":
    sys.exit(main())
