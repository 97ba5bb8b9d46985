"""The quality audits of issue #13 on the demo site served like production (gunicorn, DEBUG off):
axe-core and the Nu HTML checker on every page type in English and Arabic, Lighthouse on the
pages visitors land on, mobile and desktop.

The Nu checker and Lighthouse come from npm, pinned in ``tests/audit/package-lock.json``
(``npm ci --prefix tests/audit``, which .ci/run does); without them, or without Java or Node, these
tests are skipped with the command to run, except with ``CI=true``, where that is a failure.
"""

import json
import os
import shutil
import statistics
import subprocess
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import CHROMIUM_ARGS, PAGE_TYPES, SCREENSHOTS, chromium_path

AUDIT = Path(__file__).resolve().parent.parent / "audit"
VNU_JAR = AUDIT / "node_modules/vnu-jar/build/dist/vnu.jar"
LIGHTHOUSE = AUDIT / "node_modules/lighthouse"
LANGUAGES = ["en", "ar"]

# Lighthouse's pages (issue #13), its categories' thresholds, and runs per page and form factor.
LIGHTHOUSE_PAGES = ["en/", "en/articles/cyber-security-guidelines-for-smart-city-technology-adoption/"]
LIGHTHOUSE_PAGES += ["en/events/", "ar/", "en/search/?q=security"]
LIGHTHOUSE_MINIMUM = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
LIGHTHOUSE_RUNS = 3
# The browser fetches nothing but the page's own server: no updates, no sync, no component downloads.
LIGHTHOUSE_CHROME_FLAGS = [*CHROMIUM_ARGS, "--disable-default-apps", "--disable-extensions", "--mute-audio"]


def require(condition, what):
    """Skip when an audit tool is missing, except in CI, where every audit must run."""
    if condition:
        return
    message = f"{what} is missing: run `npm ci --prefix tests/audit` (Node and Java 17 from Debian)."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} CI=true requires the audits to run.")
    pytest.skip(message)


def page_urls(live_site):
    return {
        f"{name}-{language}": f"{live_site}/{language}/{path}" for language in LANGUAGES for name, path in PAGE_TYPES.items()
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_of_any_impact_on_any_page_type(live_site, browser, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    axe = Axe()
    found = []
    try:
        for name, path in PAGE_TYPES.items():
            response = page.goto(f"{live_site}/{language}/{path}")
            assert response.status == 200, path
            results = axe.run(page)
            found += [
                f"{name} ({language}): {violation['id']} [{violation['impact']}] {violation['help']}: "
                + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
                for violation in results.response["violations"]
            ]
    finally:
        context.close()
    assert found == []


def test_nu_html_checker_finds_no_error_on_any_page_type(live_site, tmp_path):
    java = shutil.which("java")
    require(java is not None, "Java")
    require(VNU_JAR.is_file(), "The Nu HTML checker (npm vnu-jar)")
    files = []
    for name, url in page_urls(live_site).items():
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own server)
            assert response.status == 200, url
            path = tmp_path / f"{name}.html"
            path.write_bytes(response.read())
            files.append(str(path))
    # One Java start for every page: the checker takes the files together.
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(message.get('url', '')).stem}:{message.get('lastLine', '?')}: {message['message']}"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]
    assert errors == []
    assert done.returncode == 0, done.stdout + done.stderr


def test_lighthouse_scores_on_the_pages_visitors_land_on(live_site):
    node = shutil.which("node")
    require(node is not None, "Node.js")
    require(LIGHTHOUSE.is_dir(), "Lighthouse (npm lighthouse)")
    browser = chromium_path()
    require(browser is not None, "Chromium")
    done = subprocess.run(
        [node, str(AUDIT / "lighthouse.mjs"), str(LIGHTHOUSE_RUNS)] + [f"{live_site}/{path}" for path in LIGHTHOUSE_PAGES],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "CHROME_PATH": browser, "CHROME_FLAGS": " ".join(LIGHTHOUSE_CHROME_FLAGS)},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    runs, calibration = report["runs"], report["calibration"]
    assert len(runs) == len(LIGHTHOUSE_PAGES) * 2 * LIGHTHOUSE_RUNS
    low, medians = [], {}
    for path in LIGHTHOUSE_PAGES:
        for form_factor in ("mobile", "desktop"):
            these = [run for run in runs if run["url"].endswith(f"/{path}") and run["formFactor"] == form_factor]
            for category, minimum in LIGHTHOUSE_MINIMUM.items():
                median = statistics.median(run["scores"][category] for run in these)
                medians.setdefault(f"/{path} {form_factor}", {})[category] = median
                if median < minimum:
                    failing = sorted({line for run in these for line in run["failing"] if line.startswith(category)})
                    low.append(f"/{path} {form_factor} {category}: {median} < {minimum} ({'; '.join(failing)})")
    # The medians and each run's seconds, for people to read (not committed, like the screenshots).
    SCREENSHOTS.mkdir(exist_ok=True)
    summary = {"calibration": calibration, "medians": medians, "seconds": sum(run["seconds"] for run in runs), "runs": runs}
    (SCREENSHOTS / "lighthouse.json").write_text(json.dumps(summary, indent=1))
    # The phone the mobile runs emulated, whatever this machine's speed (tests/audit/lighthouse.mjs).
    assert 1 <= calibration["cpuSlowdownMultiplier"] <= 4
    assert low == [], f"Calibration: {calibration}"
