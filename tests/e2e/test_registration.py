"""Registering for an event in a real browser, with the keyboard only, in Arabic and in English,
with axe-core checking the form and the confirmation (no violations of any impact)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

EVENT = "/events/workshop-secure-procurement-doha/"


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches ``selector`` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{selector} never received keyboard focus")


def no_axe_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_snapshot()


@pytest.mark.parametrize(("code", "direction", "name"), [("ar", "rtl", "ليلى حداد"), ("en", "ltr", "Ada Lovelace")])
def test_register_with_the_keyboard_only(live_site, page, screenshot, code, direction, name):
    response = page.goto(f"{live_site}/{code}{EVENT}")
    assert response.status == 200
    # From the event page to the form, by keyboard.
    tab_to(page, ".event-registration a.button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_site}/{code}{EVENT}register/")
    assert page.locator("html").get_attribute("dir") == direction
    no_axe_violations(page)
    screenshot(f"registration-form-{code}")

    tab_to(page, "input[name=name]")
    page.keyboard.type(name)
    tab_to(page, "input[name=email]")
    page.keyboard.type(f"keyboard-{code}@example.org")
    tab_to(page, "input[name=organisation]")
    page.keyboard.type("Doha Municipality")
    tab_to(page, "input[name=access_needs][value=step-free]")
    page.keyboard.press("Space")
    tab_to(page, "textarea[name=access_notes]")
    page.keyboard.type("Near the door, please.")
    tab_to(page, "input[name=consent]")
    page.keyboard.press("Space")
    assert page.locator("input[name=consent]").is_checked()
    assert page.locator("input[name=access_needs][value=step-free]").is_checked()
    tab_to(page, "form.registration-form button[type=submit]")
    page.wait_for_timeout(3100)  # people take a few seconds; the form refuses robots that do not
    page.keyboard.press("Enter")
    page.wait_for_selector(".registration-result")

    status = page.locator("[role=status]")
    assert status.count() == 1, page.locator("main").inner_text()
    assert page.locator(".registration-result--confirmed").count() == 1, status.inner_text()
    assert f"keyboard-{code}@example.org" in status.inner_text()
    assert page.locator("html").get_attribute("dir") == direction
    no_axe_violations(page)
    screenshot(f"registration-confirmed-{code}")

    # The event page shows one place fewer (from its live fragment, whatever the page cache holds).
    page.goto(f"{live_site}/{code}{EVENT}")
    page.wait_for_function(
        "() => document.querySelector('[data-registration-status]').textContent.match(/2[0-4]|٢[٠-٤]/)"
    )


def test_keyboard_user_sees_errors_and_can_fix_them(live_site, page):
    page.goto(f"{live_site}/en{EVENT}register/")
    tab_to(page, "input[name=email]")
    page.keyboard.type("not-an-address")
    page.wait_for_timeout(3100)
    tab_to(page, "form.registration-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".form-error-summary")
    summary = page.locator(".form-error-summary[role=alert]")
    assert summary.is_visible()
    assert page.locator("[aria-invalid=true]").count() >= 2
    no_axe_violations(page)
