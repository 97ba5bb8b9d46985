"""``make bench``: each public page type at demo size and at a large generated size, beside a bare WSGI ceiling.

For each data size the hub is served by gunicorn with the production settings, once with the page
cache off ("uncached") and once with it on ("cached"), and ``bench/ceiling.py`` (a bare WSGI app
answering a 20 KB page) is served by the same gunicorn command in the same run: hub figures are
read as a share of it, because on a shared machine an absolute req/s means little. Each URL is
loaded with ``wrk`` (``apt-get install wrk``; a slower Python client is used without it) for
``--rounds`` rounds interleaved with the ceiling, and the median round is reported. Queries per
page are counted in-process (``manage.py bench_queries``), warm, with the page cache off.

The databases are the benchmark's own, never the development one: ``.bench/demo.sqlite3`` (migrate
and the demo content) and ``.bench/large.sqlite3`` (the same plus ``bench/generate.py``'s 10,000
articles, 1,000 events and 500 partners in four languages). They are built on first use and
rebuilt when the migrations, the demo data or the generator change (``--rebuild`` forces it).
``--postgres postgres://user@host:port/name`` uses the PostgreSQL databases ``name_demo`` and
``name_large`` instead (built the same way).

    python bench/run.py                     # both sizes, the table
    python bench/run.py --sizes large --json
    python bench/run.py --quick             # 1 round of 2 s per URL: a smoke test of the tool

Everything talks only to 127.0.0.1.
"""

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / ".bench"
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
HOST = "127.0.0.1"

# The page types, as paths of the English site; "{article}" is a demo article present at both sizes.
PAGES = {
    "home": "/en/",
    "listing": "/en/articles/",
    "article": "/en/articles/{article}/",
    "events": "/en/events/",
    "search": "/en/search/?q=security",
    "partners": "/en/partners/",
    "feed": "/en/articles/feed.rss",
    "calendar": "/en/events/calendar.ics",
    "sitemap": "/sitemap.xml",
}
SIZES = {
    "demo": {},
    "large": {"articles": 10_000, "events": 1_000, "partners": 500},
}
# What each database depends on: when any of these changes, it is built again.
FINGERPRINTED = {
    "demo": ["*/migrations/*.py", "demo/data/*", "demo/loader.py"],
    "large": ["*/migrations/*.py", "demo/data/*", "demo/loader.py", "bench/generate.py", "bench/vocabulary.py"],
}


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- Databases ---------------------------------------------------------------------------------


def fingerprint(size):
    digest = hashlib.sha256(json.dumps(SIZES[size], sort_keys=True).encode())
    for pattern in FINGERPRINTED[size]:
        for path in sorted(BASE_DIR.glob(pattern)):
            digest.update(path.relative_to(BASE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Databases:
    """The benchmark's SQLite files or PostgreSQL databases, one per size."""

    def __init__(self, postgres=None):
        self.postgres = postgres

    def url(self, size):
        if self.postgres:
            return f"{self.postgres}_{size}"
        return f"sqlite:///{BENCH_DIR / f'{size}.sqlite3'}"

    def stamp(self, size):
        suffix = "-pg" if self.postgres else ""
        return BENCH_DIR / f"{size}{suffix}.fingerprint"

    def fresh(self, size):
        stamp = self.stamp(size)
        return stamp.exists() and stamp.read_text() == fingerprint(size)

    def drop(self, size):
        if self.postgres:
            self._psql(f'DROP DATABASE IF EXISTS "{self._name(size)}"')
        else:
            (BENCH_DIR / f"{size}.sqlite3").unlink(missing_ok=True)

    def copy(self, source, target):
        if self.postgres:
            self._psql(f'CREATE DATABASE "{self._name(target)}" TEMPLATE "{self._name(source)}"')
        else:
            shutil.copyfile(BENCH_DIR / f"{source}.sqlite3", BENCH_DIR / f"{target}.sqlite3")

    def create_empty(self, size):
        if self.postgres:
            self._psql(f'CREATE DATABASE "{self._name(size)}"')

    def _name(self, size):
        return urlsplit(self.url(size)).path.lstrip("/")

    def _psql(self, statement):
        admin = urlsplit(self.postgres)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(statement)


def manage(database_url, *args, settings="bench.settings", env_extra=None, capture=False):
    env = server_env(database_url, cache_seconds=0, port=0)
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.update(env_extra or {})
    # Progress goes to stderr, so that stdout carries only the report (--json).
    output = {"capture_output": True} if capture else {"stdout": sys.stderr}
    return subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, text=True, **output)


def build(databases, sizes, rebuild=False):
    """Make sure each size's database exists and matches the current code (demo first: large starts from it)."""
    BENCH_DIR.mkdir(exist_ok=True)
    needed = ["demo", *[size for size in sizes if size != "demo"]]
    for size in needed:
        if databases.fresh(size) and not rebuild:
            continue
        started = time.monotonic()
        log(f"building the {size} database (once; rebuilt when migrations, demo data or the generator change)")
        databases.stamp(size).unlink(missing_ok=True)
        databases.drop(size)
        if size == "demo":
            databases.create_empty(size)
            manage(databases.url(size), "migrate", "--noinput", "-v0")
            manage(databases.url(size), "load_demo_content", capture=True)
        else:
            databases.copy("demo", size)
            counts = SIZES[size]
            manage(
                databases.url(size),
                "generate_bench_data",
                f"--articles={counts['articles']}",
                f"--events={counts['events']}",
                f"--partners={counts['partners']}",
            )
        databases.stamp(size).write_text(fingerprint(size))
        log(f"  {size} database built in {time.monotonic() - started:.0f} s")


# --- Servers -----------------------------------------------------------------------------------


SECRET = secrets.token_urlsafe(64)


def server_env(database_url, cache_seconds, port):
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.update(
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS=f"{HOST},testserver",
        WAGTAILADMIN_BASE_URL=f"http://{HOST}:{port}" if port else f"http://{HOST}",
        HUB_PUBLIC_URL=f"http://{HOST}",
        SECURE_SSL_REDIRECT="false",
        HUB_PAGE_CACHE_SECONDS=str(cache_seconds),
        # One client (wrk) sends every request: the per-client search limit would answer 429.
        HUB_SEARCH_RATE_LIMIT="1000000000/60",
        DATABASE_URL=database_url,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


class Server:
    """``gunicorn APP -w WORKERS`` on a port, stopped (only this process group) on exit."""

    def __init__(self, app, port, env, workers):
        self.url = f"http://{HOST}:{port}"
        # The server's log goes to a file: a pipe nobody reads fills up with the per-request log
        # lines and stalls the workers mid-run.
        BENCH_DIR.mkdir(exist_ok=True)
        self.log = BENCH_DIR / f"server-{port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", app, "-b", f"{HOST}:{port}", "-w", str(workers), "--log-level", "warning"],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )

    def wait(self, path="/"):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.url} stopped: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=5):  # noqa: S310 (loopback only)
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.url} did not answer within 60 s")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- Load --------------------------------------------------------------------------------------


def wrk(url, duration, connections):
    result = subprocess.run(
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(HERE / "wrk_report.lua"), url],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    fields = dict(item.split("=") for item in line.split()[1:])
    return {
        "rps": float(fields["rps"]),
        "p50": float(fields["p50"]),
        "p95": float(fields["p95"]),
        "p99": float(fields["p99"]),
        "errors": int(fields["errors"]) + int(fields["non2xx"]),
    }


def python_load(url, duration, connections):
    """Fallback without wrk: threads on http.client. Client-bound above ~1,000 req/s: cached figures understate."""

    def fetch():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback only)
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        return ok, time.perf_counter() - started

    deadline = time.monotonic() + duration
    times, errors = [], 0

    def worker():
        local = []
        while time.monotonic() < deadline:
            local.append(fetch())
        return local

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        for results in pool.map(lambda _n: worker(), range(connections)):
            for ok, seconds in results:
                times.append(seconds * 1000)
                errors += not ok
    elapsed = time.monotonic() - started
    times.sort()

    def percentile(p):
        return times[min(len(times) - 1, int(len(times) * p / 100))] if times else 0.0

    return {
        "rps": len(times) / elapsed,
        "p50": percentile(50),
        "p95": percentile(95),
        "p99": percentile(99),
        "errors": errors,
    }


def median_run(runs):
    """The round with the median req/s (its latencies come with it)."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    return {**ordered[len(ordered) // 2], "rounds": [round(run["rps"], 1) for run in runs]}


def measure(targets, ceiling_url, load, args):
    """Interleaved rounds: the ceiling, then every target, ``args.rounds`` times; medians."""
    for url in [ceiling_url, *targets.values()]:
        for _ in range(5):  # warm-up: workers started, caches filled
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback only)
                response.read()
    runs = {name: [] for name in ["ceiling", *targets]}
    for _round in range(args.rounds):
        runs["ceiling"].append(load(ceiling_url, args.duration, args.connections))
        for name, url in targets.items():
            runs[name].append(load(url, args.duration, args.connections))
    return {name: median_run(name_runs) for name, name_runs in runs.items()}


def detail_path(databases, size):
    """A demo article's path (present at both sizes)."""
    script = (
        "from articles.models import ArticlePage;"
        "print(ArticlePage.objects.live().filter(locale__language_code='en', alias_of__isnull=True)"
        ".exclude(slug__startswith='landmark').order_by('pk').values_list('slug', flat=True).first())"
    )
    result = manage(databases.url(size), "shell", "-c", script, capture=True)
    return result.stdout.strip().splitlines()[-1]


def bench_size(databases, size, load, args):
    article = detail_path(databases, size)
    paths = {name: path.format(article=article) for name, path in PAGES.items() if name in args.pages}
    log(f"[{size}] counting queries")
    counted = json.loads(
        manage(databases.url(size), "bench_queries", *paths.values(), capture=True).stdout.strip().splitlines()[-1]
    )
    results = {"pages": {name: {"path": path, **counted[path]} for name, path in paths.items()}}
    for mode, seconds in (("uncached", 0), ("cached", 300)):
        log(f"[{size}] {mode}: {args.rounds} round(s) of {args.duration} s per URL")
        env = server_env(databases.url(size), seconds, args.port)
        with (
            Server("hub.wsgi", args.port, env, args.workers) as hub,
            Server("bench.ceiling:application", args.port + 1, dict(os.environ), args.workers) as ceiling,
        ):
            hub.wait("/healthz")
            ceiling.wait()
            measured = measure({name: hub.url + path for name, path in paths.items()}, ceiling.url, load, args)
        results[f"ceiling_{mode}"] = measured.pop("ceiling")
        for name, run in measured.items():
            results["pages"][name][mode] = run
    return results


# --- Report ------------------------------------------------------------------------------------


def table(size, results):
    ceiling = statistics.mean([results["ceiling_uncached"]["rps"], results["ceiling_cached"]["rps"]])
    lines = [
        f"\n{size}: bare WSGI ceiling {ceiling:,.0f} req/s",
        f"{'page':10} {'uncached':>9} {'p50':>6} {'p95':>6} {'p99':>6} {'%ceil':>6} "
        f"{'cached':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'%ceil':>6} {'queries':>7} {'KB':>6}",
    ]
    for name, page in results["pages"].items():
        cold, warm = page["uncached"], page["cached"]
        cold_share = cold["rps"] / results["ceiling_uncached"]["rps"] * 100
        warm_share = warm["rps"] / results["ceiling_cached"]["rps"] * 100
        flag = "" if page["status"] == 200 and not cold["errors"] and not warm["errors"] else "  (errors)"
        lines.append(
            f"{name:10} {cold['rps']:9.1f} {cold['p50']:6.1f} {cold['p95']:6.1f} {cold['p99']:6.1f} {cold_share:5.1f}% "
            f"{warm['rps']:8.0f} {warm['p50']:6.1f} {warm['p95']:6.1f} {warm['p99']:6.1f} {warm_share:5.1f}% "
            f"{page['queries']:7d} {page['bytes'] / 1024:6.0f}{flag}"
        )
    return "\n".join(lines)


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "load_average": os.getloadavg()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    parser.add_argument("--sizes", default="demo,large", help="comma-separated: demo, large")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated, of: {', '.join(PAGES)}")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, hub and ceiling alike (default 2)")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")), help="hub port; +1 ceiling"
    )
    parser.add_argument("--postgres", help="postgres://user@host:port/prefix: use databases prefix_demo, prefix_large")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--build-only", action="store_true", help="build the databases, measure nothing")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s: check the tool, not the site")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds = 2, 1
    args.pages = [page for page in args.pages.split(",") if page]
    sizes = [size for size in args.sizes.split(",") if size]
    unknown = [size for size in sizes if size not in SIZES] + [page for page in args.pages if page not in PAGES]
    if unknown:
        parser.error(f"unknown: {', '.join(unknown)}")

    load = wrk if shutil.which("wrk") else python_load
    if load is python_load:
        log("wrk not found (apt-get install wrk): using a Python client, which caps cached figures")
    databases = Databases(args.postgres)
    build(databases, sizes, args.rebuild)
    if args.build_only:
        return
    manage(databases.url("demo"), "collectstatic", "--noinput", "-v0", settings="hub.settings.production")

    report = {
        "machine": machine(),
        "client": "wrk" if load is wrk else "python",
        "settings": {
            "gunicorn_workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "database": "postgresql" if args.postgres else "sqlite",
        },
        "sizes": {},
    }
    for size in sizes:
        report["sizes"][size] = bench_size(databases, size, load, args)
    report["machine"]["load_average_after"] = os.getloadavg()

    if args.json:
        print(json.dumps(report, indent=1))
        return
    info = report["machine"]
    print(
        f"{info['cpus']} CPU(s), {info['cpu']}; load average before {info['load_average'][0]:.2f}; "
        f"{report['client']} -c{args.connections}, gunicorn -w {args.workers}, {report['settings']['database']}, "
        f"median of {args.rounds} x {args.duration} s"
    )
    for size, results in report["sizes"].items():
        print(table(size, results))
    print(
        "\nuncached = page cache off (HUB_PAGE_CACHE_SECONDS=0); %ceil = req/s as a share of the bare WSGI app "
        "measured in the same run; latencies in ms; queries counted warm."
    )


if __name__ == "__main__":
    main()
