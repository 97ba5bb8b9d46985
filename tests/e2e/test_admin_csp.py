"""The Wagtail admin under its Content-Security-Policy, in a real browser: zero violations.

An editor signs in, edits an article (adding an inline row and opening a chooser in it), opens
the preview panel, publishes, opens the date picker of an event, uploads an image and a
document, submits a page for translation, machine-translates it and publishes the translation.
Every violation the browser reports (``securitypolicyviolation`` events in every frame, and
console messages) is collected; there must be none. The policy itself is asserted exactly in
``tests/test_security.py``.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

# Recorded in every document (and frame) before its own scripts run; Playwright's init scripts are
# not subject to the page's CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push({
    directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile,
    line: event.lineNumber, sample: event.sample, page: location.pathname,
}));
"""
DEMO_FILES = Path(settings.BASE_DIR) / "demo" / "files"


class ViolationLog:
    """Every CSP violation the browser reported, with the step it happened in."""

    def __init__(self, page):
        self.page = page
        self.found = []
        self.step = "start"
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.found.append({"step": self.step, "console": message.text[:300]})

    def collect(self, step):
        for frame in self.page.frames:
            try:
                events = frame.evaluate("window.__cspViolations || []")
                frame.evaluate("window.__cspViolations = []")
            except Exception:  # noqa: S112 - a frame that navigated away meanwhile
                continue
            self.found.extend({"step": step, **event} for event in events)
        self.step = step


def _api(page, url):
    response = page.request.get(url)
    assert response.ok, url
    return response.json()


def test_admin_works_under_its_csp_with_zero_violations(live_site, editor, browser, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    log = ViolationLog(page)
    try:
        # Sign in.
        page.goto(f"{live_site}/admin/login/")
        page.fill("input[name=username]", editor["username"])
        page.fill("input[name=password]", editor["password"])
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_site}/admin/")
        log.collect("sign-in")

        # Edit an article: an inline row whose chooser (an inline script of Wagtail's) must work.
        articles = _api(page, f"{live_site}/api/v2/pages/?type=articles.ArticlePage&locale=en&limit=20")["items"]
        article = articles[0]["id"]
        page.goto(f"{live_site}/admin/pages/{article}/edit/")
        page.wait_for_load_state("networkidle")
        page.click("#id_downloads-ADD")
        page.locator("#id_downloads-FORMS .chooser__choose-button").last.click()
        page.wait_for_selector(".modal-content", timeout=15_000)
        log.collect("edit, inline row and its chooser")

        # Edit, preview in the side panel, publish.
        page.goto(f"{live_site}/admin/pages/{article}/edit/")
        page.wait_for_load_state("networkidle")
        page.fill("#id_summary", "Edited under the admin's Content-Security-Policy.")
        page.click("button[data-side-panel-toggle='preview']")
        page.frame_locator("#w-preview-iframe").locator("h1").first.wait_for(timeout=15_000)
        log.collect("preview")
        page.evaluate("document.querySelector('button[name=action-publish]').click()")
        page.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))
        public_path = urlsplit(articles[0]["meta"]["html_url"]).path
        assert "Edited under the admin" in page.request.get(f"{live_site}{public_path}").text()
        log.collect("publish")

        # An event's date and time picker.
        events = _api(page, f"{live_site}/api/v2/pages/?type=events.EventPage&locale=en&limit=1")["items"]
        page.goto(f"{live_site}/admin/pages/{events[0]['id']}/edit/")
        page.wait_for_load_state("networkidle")
        page.click("#id_start_local")
        page.locator(".xdsoft_datetimepicker >> visible=true").first.wait_for(timeout=10_000)
        log.collect("date picker")

        # Upload an image and a document.
        page.goto(f"{live_site}/admin/images/add/")
        page.set_input_files("input[type=file]", str(sorted((DEMO_FILES / "logos").iterdir())[0]))
        page.fill("#id_title", "Uploaded under the CSP")
        page.evaluate("document.querySelector('main form button[type=submit]').click()")
        page.wait_for_url(f"{live_site}/admin/images/")
        assert "Uploaded under the CSP" in page.content()
        page.goto(f"{live_site}/admin/documents/multiple/add/")
        page.set_input_files("input[type=file]", str(sorted((DEMO_FILES / "documents").iterdir())[0]))
        page.wait_for_selector("#upload-list li.upload-success", timeout=20_000)
        log.collect("uploads")

        # Translate: a page Spanish readers see as an alias of the English one.
        spanish = _api(page, f"{live_site}/api/v2/pages/?type=articles.ArticlePage&locale=es&fields=alias_of&limit=20")
        alias = next(item for item in spanish["items"] if item["meta"]["alias_of"])
        source = alias["meta"]["alias_of"]["id"]
        page.goto(f"{live_site}/admin/localize/submit/page/{source}/")
        page.check("input[name=select_all]")
        page.click("main form input[type=submit]")
        page.wait_for_load_state("networkidle")
        log.collect("submit for translation")
        page.goto(f"{live_site}/admin/pages/{alias['id']}/edit/")
        page.get_by_role("button", name="Translate with Dummy translator").first.click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name=re.compile(r"^Publish in ")).click()
        page.wait_for_load_state("networkidle")
        assert "Published" in page.content()
        log.collect("translate and publish")
        screenshot("admin-csp-translation")
    finally:
        log.collect("end")
        context.close()
    assert log.found == [], json.dumps(log.found, indent=1)
