"""``make bench`` (``python bench/run.py``): serve the demo site with gunicorn and production settings, then load it.

Each URL gets a warm-up and then REQUESTS requests from CONCURRENCY threads on loopback; the
report gives throughput and latency percentiles, cold (page cache off) and warm (cache on).
Bounded in requests and time; it talks only to 127.0.0.1.
"""

import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
URLS = ["/en/", "/ar/", "/en/articles/", "/en/events/", "/en/partners/", "/en/contributors/", "/fr/search/?q=security"]


def server_env(cache_seconds):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="hub.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{PORT}",
        SECURE_SSL_REDIRECT="false",
        HUB_PAGE_CACHE_SECONDS=str(cache_seconds),
        DATABASE_URL=env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    )
    return env


def fetch(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback only)
        response.read()
        status = response.status
    return status, time.perf_counter() - start


def load(path):
    url = f"http://127.0.0.1:{PORT}{path}"
    for _ in range(5):
        fetch(url)
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(lambda _i: fetch(url), range(REQUESTS)))
    elapsed = time.perf_counter() - started
    times = sorted(t for _status, t in results)
    errors = sum(status != 200 for status, _t in results)
    return {
        "path": path,
        "rps": REQUESTS / elapsed,
        "p50": statistics.median(times) * 1000,
        "p95": times[int(len(times) * 0.95) - 1] * 1000,
        "errors": errors,
    }


def run(cache_seconds):
    env = server_env(cache_seconds)
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "hub.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2", "--threads", "4"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                fetch(f"http://127.0.0.1:{PORT}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        return [load(path) for path in URLS]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main():
    print(f"gunicorn 2 workers x 4 threads; {REQUESTS} requests per URL, {CONCURRENCY} concurrent clients")
    for label, seconds in (("page cache off", 0), ("page cache on", 300)):
        print(f"\n{label}")
        print(f"{'URL':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for row in run(seconds):
            print(f"{row['path']:32} {row['rps']:8.1f} {row['p50']:8.1f} {row['p95']:8.1f} {row['errors']:7d}")


if __name__ == "__main__":
    main()
