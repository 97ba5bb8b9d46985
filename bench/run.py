"""``make bench``: each public page type at demo size and at a large generated size, beside a bare WSGI ceiling.

For each data size the hub is served by gunicorn with the production settings, once with the page
cache off ("uncached") and once with it on ("cached"), and ``bench/ceiling.py`` (a bare WSGI app
answering a 20 KB page) is served by the same gunicorn command in the same run: hub figures are
read as a share of it, because on a shared machine an absolute req/s means little. Each URL is
loaded with ``wrk`` (``apt-get install wrk``; a slower Python client is used without it) for
``--rounds`` rounds interleaved with the ceiling, and the median round is reported; in the cached
mode each page's run is paired with a ceiling run just before it, and its share of the ceiling is
the median of the per-round shares (so the machine's drift between runs cancels). Queries per
page are counted in-process (``manage.py bench_queries``), warm, with the page cache off.

The databases are the benchmark's own, never the development one: ``.bench/demo.sqlite3`` (migrate
and the demo content) and ``.bench/large.sqlite3`` (the same plus ``bench/generate.py``'s 10,000
articles, 1,000 events and 500 partners in four languages). They are built on first use and
rebuilt when the migrations, the demo data or the generator change (``--rebuild`` forces it).
``--postgres postgres://user@host:port/name`` uses the PostgreSQL databases ``name_demo`` and
``name_large`` instead (built the same way).

``--compare DIR`` measures wagtail/bakerydemo (Wagtail's demo site, not part of the project) in the
same run: ``bench/bakerydemo.sh [DIR [REPO]]`` installs it in DIR (default a temporary directory)
with its own virtualenv, SQLite database and initial data, and prints DIR. In the uncached mode
it is served by the same gunicorn command (its venv's python, the same workers, port +2) with its
own production settings (``DIR/.env``: DEBUG off, so Django's cached template loader, and its
local-memory cache), and each comparable page (``BAKERY_PAGES``) is loaded in the same interleaved
rounds, right after the hub's; the table adds its req/s, the ratio hub/bakerydemo (the median of the
rounds' ratios) and its queries
(counted warm in its own ``manage.py shell``).

    python bench/run.py                     # both sizes, the table
    python bench/run.py --sizes large --json
    python bench/run.py --quick             # 1 round of 2 s per URL: a smoke test of the tool
    python bench/run.py --compare "$(bench/bakerydemo.sh)"   # beside bakerydemo

Everything talks only to 127.0.0.1.
"""

import argparse
import hashlib
import itertools
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
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / ".bench"
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
HOST = "127.0.0.1"
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 (the benchmark's databases are served from memory: Databases.serving)

# The page types, as paths of the English site; "{article}" is a demo article present at both sizes.
# A page path ending in this gets a value of its own on every request (bench/wrk_report.lua, the
# Python client, bench_queries): each search is computed, not one kept for an earlier request.
DISTINCT = "&n="
PAGES = {
    "home": "/en/",
    "listing": "/en/articles/",
    "article": "/en/articles/{article}/",
    "events": "/en/events/",
    "search": "/en/search/?q=security",
    # Every request a query string of its own (bench/wrk_report.lua): a search that is computed.
    "search-new": "/en/search/?q=security" + DISTINCT,
    "partners": "/en/partners/",
    "feed": "/en/articles/feed.rss",
    "calendar": "/en/events/calendar.ics",
    "sitemap": "/sitemap.xml",
}
# bakerydemo's page comparable to each hub page type, for --compare ("{post}": its first blog post).
BAKERY_PAGES = {
    "home": "/",
    "listing": "/blog/",
    "article": "{post}",
    "events": "/locations/",
    "search": "/search/?q=bread",
    "search-new": "/search/?q=bread" + DISTINCT,
    "partners": "/breads/",
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

    @contextmanager
    def serving(self, size):
        """The URL the measured servers use. For SQLite, a copy of the file in memory (``/dev/shm``,
        removed afterwards): this machine's kernel evicts file pages it has not read for a minute or
        so (362 MB of the large database came down to 143 MB resident a minute after a run), and a
        computed search or feed at 10,000 articles then reads it from disk, for seconds, which
        measures the disk and not the hub. PostgreSQL keeps its own buffers: its URL as is."""
        source = BENCH_DIR / f"{size}.sqlite3"
        if (
            self.postgres
            or not SHARED_MEMORY.is_dir()
            or shutil.disk_usage(SHARED_MEMORY).free < 2 * source.stat().st_size
        ):
            yield self.url(size)
            return
        copy = SHARED_MEMORY / f"hub-bench-{os.getpid()}-{size}.sqlite3"
        shutil.copyfile(source, copy)
        try:
            yield f"sqlite:///{copy}"
        finally:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)

    def drop(self, size):
        if self.postgres:
            self._psql(f'DROP DATABASE IF EXISTS "{self._name(size)}"')
        else:
            # With its journal and WAL files: a build stopped midway leaves a hot journal that SQLite
            # would otherwise replay onto the next copy (a malformed database).
            for suffix in ("", "-journal", "-wal", "-shm"):
                (BENCH_DIR / f"{size}.sqlite3{suffix}").unlink(missing_ok=True)

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


# A worker's first computed search on a large database read from disk can take longer than
# gunicorn's default 30 s timeout: the warm-up must not get the worker killed.
GUNICORN_OPTIONS = ("--timeout", "300", "--log-level", "warning")


class Server:
    """``PYTHON -m gunicorn APP -w WORKERS`` in CWD on a port, stopped (only this process group) on exit."""

    def __init__(self, app, port, env, workers, python=PYTHON, cwd=BASE_DIR):
        self.url = f"http://{HOST}:{port}"
        # The server's log goes to a file: a pipe nobody reads fills up with the per-request log
        # lines and stalls the workers mid-run.
        BENCH_DIR.mkdir(exist_ok=True)
        self.log = BENCH_DIR / f"server-{port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [python, "-m", "gunicorn", app, "-b", f"{HOST}:{port}", "-w", str(workers), *GUNICORN_OPTIONS],
                cwd=cwd,
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


# --- bakerydemo (--compare) --------------------------------------------------------------------

# Run by bakerydemo's own ``manage.py shell``: what it runs with, its first blog post, and each
# page's status, size and queries counted warm the way ``bench_queries`` counts the hub's.
BAKERY_SCRIPT = """
import json, os
import django, wagtail
from django.conf import settings
from django.db import connection
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bakerydemo.blog.models import BlogPage

post = BlogPage.objects.live().order_by("path").first().url
client = Client(HTTP_HOST="127.0.0.1")
pages = {}
for name, path in json.loads(os.environ["BENCH_PAGES"]).items():
    path = path.format(post=post)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    pages[name] = {"path": path, "status": response.status_code, "queries": len(queries), "bytes": len(response.content)}
loaders = [loader[0] if isinstance(loader, tuple) else loader for loader in engines["django"].engine.loaders]
print(json.dumps({
    "django": django.get_version(),
    "wagtail": wagtail.__version__,
    "debug": settings.DEBUG,
    "template_loaders": loaders,
    "cache": settings.CACHES["default"]["BACKEND"],
    "pages": pages,
}))
"""
# What bakerydemo's server inherits from this process; everything else comes from its .env.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


class Bakerydemo:
    """A bakerydemo checkout prepared by ``bench/bakerydemo.sh``: its settings, comparable pages and server."""

    def __init__(self, directory, names):
        self.directory = Path(directory).resolve()
        self.python = self.directory / ".venv" / "bin" / "python"
        if not self.python.exists() or not (self.directory / ".env").exists():
            raise SystemExit(f"--compare {directory}: not a directory prepared by bench/bakerydemo.sh")
        self.env = self._environment()
        log("[bakerydemo] counting queries")
        info = self._inspect({name: BAKERY_PAGES[name] for name in names if name in BAKERY_PAGES})
        self.pages = info.pop("pages")
        self.info = {"directory": str(self.directory), "commit": self._commit(), **info}
        if self.info["debug"]:
            log("[bakerydemo] warning: DEBUG is on; the comparison expects its production settings")

    def _commit(self):
        git = shutil.which("git")
        if not git:
            return "unknown"
        result = subprocess.run(
            [git, "-C", str(self.directory), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        return result.stdout.strip() or "unknown"

    def _environment(self):
        """Its ``.env`` alone (as bakerydemo's dotenv reads it), so no REDIS_URL or DATABASE_URL leaks in."""
        env = {name: os.environ[name] for name in INHERITED if name in os.environ}
        for line in (self.directory / ".env").read_text().splitlines():
            name, sep, value = line.strip().partition("=")
            if sep and not name.startswith("#"):
                env[name.strip()] = value.strip().strip("\"'")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def _inspect(self, pages):
        result = subprocess.run(
            [str(self.python), "manage.py", "shell", "-v0", "-c", BAKERY_SCRIPT],
            cwd=self.directory,
            env={**self.env, "BENCH_PAGES": json.dumps(pages)},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise SystemExit(f"bakerydemo's manage.py shell failed:\n{result.stderr[-2000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def server(self, port, workers):
        return Server("bakerydemo.wsgi", port, self.env, workers, python=self.python, cwd=self.directory)


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

    numbers = itertools.count()
    distinct = url.endswith(DISTINCT)

    def fetch():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{url}{next(numbers)}" if distinct else url, timeout=30) as response:  # noqa: S310 (loopback only)
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


def settle(run, args):
    """Wait until the requests a run left in the server are done: when the load stops, each
    connection may still have one in a worker's queue (a computed search: half a second each), and
    they would be counted against the next page's latencies."""
    time.sleep(min(5.0, args.connections * run["p99"] / 1000 / args.workers))


def measure(targets, ceiling_url, load, args, paired=False):
    """``args.rounds`` interleaved rounds: the ceiling, then every target (``paired``: a ceiling
    run before each target instead). Each target's ``share`` of the ceiling is the median, over the
    rounds, of its req/s divided by that of the ceiling run before it. Runs seconds apart meet the
    same load on a shared machine, whose ceiling moves by 10-20% between runs a minute apart."""
    for url in [ceiling_url, *targets.values()]:
        for _ in range(5):  # warm-up: workers started, caches filled
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback only)
                response.read()
    runs = {name: [] for name in ["ceiling", *targets]}
    shares = {name: [] for name in targets}

    def run(name, url):
        result = load(url, args.duration, args.connections)
        settle(result, args)
        runs[name].append(result)
        return result

    for _round in range(args.rounds):
        ceiling = None if paired else run("ceiling", ceiling_url)
        for name, url in targets.items():
            if paired:
                ceiling = run("ceiling", ceiling_url)
            shares[name].append(run(name, url)["rps"] / ceiling["rps"] if ceiling["rps"] else 0.0)
    measured = {name: median_run(name_runs) for name, name_runs in runs.items()}
    for name, name_shares in shares.items():
        measured[name]["share"] = statistics.median(name_shares)
    return measured


def paired_ratio(hub_runs, other_runs):
    """The median over rounds of the hub's req/s divided by the other's in the same round."""
    pairs = [hub / other for hub, other in zip(hub_runs, other_runs, strict=True) if other]
    return statistics.median(pairs) if pairs else None


def detail_path(database_url):
    """A demo article's path (present at both sizes)."""
    script = (
        "from articles.models import ArticlePage;"
        "print(ArticlePage.objects.live().filter(locale__language_code='en', alias_of__isnull=True)"
        ".exclude(slug__startswith='landmark').order_by('pk').values_list('slug', flat=True).first())"
    )
    result = manage(database_url, "shell", "-c", script, capture=True)
    return result.stdout.strip().splitlines()[-1]


def bench_size(databases, size, load, args, bakery=None):
    with databases.serving(size) as database_url:
        return measure_size(database_url, size, load, args, bakery)


def measure_size(database_url, size, load, args, bakery=None):
    article = detail_path(database_url)
    paths = {name: path.format(article=article) for name, path in PAGES.items() if name in args.pages}
    log(f"[{size}] counting queries")
    counted = json.loads(
        manage(database_url, "bench_queries", *paths.values(), capture=True).stdout.strip().splitlines()[-1]
    )
    results = {"pages": {name: {"path": path, **counted[path]} for name, path in paths.items()}}
    for mode, seconds in (("uncached", 0), ("cached", 300)):
        log(f"[{size}] {mode}: {args.rounds} round(s) of {args.duration} s per URL")
        env = server_env(database_url, seconds, args.port)
        with ExitStack() as servers:
            hub = servers.enter_context(Server("hub.wsgi", args.port, env, args.workers))
            ceiling = servers.enter_context(
                Server("bench.ceiling:application", args.port + 1, dict(os.environ), args.workers)
            )
            # bakerydemo has no whole-page cache: it is compared with the hub's uncached pages only.
            compared = bakery if mode == "uncached" else None
            if compared:
                demo = servers.enter_context(compared.server(args.port + 2, args.workers))
            hub.wait("/healthz")
            ceiling.wait()
            if compared:
                demo.wait()
            targets = {}
            for name, path in paths.items():
                targets[name] = hub.url + path
                # Right after the hub's page, so that the pair meets the same load on the machine.
                if compared and name in compared.pages:
                    targets[f"bakerydemo:{name}"] = demo.url + compared.pages[name]["path"]
            # Cached hits are read as a share of the ceiling: each is paired with a ceiling run.
            measured = measure(targets, ceiling.url, load, args, paired=mode == "cached")
        results[f"ceiling_{mode}"] = measured.pop("ceiling")
        for name, page in results["pages"].items():
            page[mode] = measured[name]
            run = measured.get(f"bakerydemo:{name}")
            if run:
                ratio = paired_ratio(page[mode]["rounds"], run["rounds"])
                page["bakerydemo"] = {**bakery.pages[name], "uncached": run, "ratio": ratio}
    return results


# --- Report ------------------------------------------------------------------------------------


def table(size, results):
    ceiling = statistics.mean([results["ceiling_uncached"]["rps"], results["ceiling_cached"]["rps"]])
    compared = any("bakerydemo" in page for page in results["pages"].values())
    header = (
        f"{'page':10} {'uncached':>9} {'p50':>6} {'p95':>6} {'p99':>6} {'%ceil':>6} "
        f"{'cached':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'%ceil':>6} {'queries':>7} {'KB':>6}"
    )
    if compared:
        header += f" {'bakery req/s':>12} {'ratio':>6} {'bakery q':>8}"
    lines = [f"\n{size}: bare WSGI ceiling {ceiling:,.0f} req/s", header]
    for name, page in results["pages"].items():
        cold, warm = page["uncached"], page["cached"]
        cold_share, warm_share = cold["share"] * 100, warm["share"] * 100
        ok = page["status"] == 200 and not cold["errors"] and not warm["errors"]
        line = (
            f"{name:10} {cold['rps']:9.1f} {cold['p50']:6.1f} {cold['p95']:6.1f} {cold['p99']:6.1f} {cold_share:5.1f}% "
            f"{warm['rps']:8.0f} {warm['p50']:6.1f} {warm['p95']:6.1f} {warm['p99']:6.1f} {warm_share:5.1f}% "
            f"{page['queries']:7d} {page['bytes'] / 1024:6.0f}"
        )
        bakery = page.get("bakerydemo")
        if bakery:
            ok = ok and bakery["status"] == 200 and not bakery["uncached"]["errors"]
            ratio = f"{bakery['ratio']:5.1f}x" if bakery["ratio"] is not None else f"{'-':>6}"
            line += f" {bakery['uncached']['rps']:12.1f} {ratio} {bakery['queries']:8d}"
        lines.append(line + ("" if ok else "  (errors)"))
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
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORT", "8765")),
        help="hub port; +1 ceiling, +2 bakerydemo",
    )
    parser.add_argument(
        "--compare", metavar="DIR", help="also measure bakerydemo prepared in DIR by bench/bakerydemo.sh (port +2)"
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
    bakery = Bakerydemo(args.compare, args.pages) if args.compare else None

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
    if bakery:
        report["bakerydemo"] = bakery.info
    for size in sizes:
        report["sizes"][size] = bench_size(databases, size, load, args, bakery)
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
    if bakery:
        info = bakery.info
        print(
            f"bakerydemo {info['commit']} (Wagtail {info['wagtail']}, Django {info['django']}; "
            f"DEBUG {'on' if info['debug'] else 'off'}, {', '.join(info['template_loaders'])}, "
            f"{info['cache'].rsplit('.', 1)[-1]}) in {info['directory']}"
        )
    for size, results in report["sizes"].items():
        print(table(size, results))
    print(
        "\nuncached = page cache off (HUB_PAGE_CACHE_SECONDS=0); %ceil = req/s as a share of the bare WSGI app "
        "measured in the same run (median of the rounds' shares; cached: each run paired with a ceiling run just "
        "before it); latencies in ms; queries counted warm."
    )
    if bakery:
        compared = ", ".join(f"{name} {page['path']}" for name, page in bakery.pages.items())
        print(
            f"bakery req/s = bakerydemo's comparable page, uncached, in the same rounds ({compared}); "
            "ratio = hub uncached / bakerydemo (median of the rounds' ratios); bakery q = its queries, warm."
        )


if __name__ == "__main__":
    main()
