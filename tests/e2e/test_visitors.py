"""What a visitor sees (issue #13): every page type at phone and desktop widths in English and Arabic,
the phone menu without JavaScript, and a join form sent by a fast human.

Screenshots of every page type at 390 and 1366 px land in ``tests/e2e/screenshots/`` (not committed).
"""

import pytest

from tests.e2e.conftest import PAGE_TYPES, SCREENSHOTS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MAX_PHONE_HEADER = 120
MAX_PHONE_PAGE = 4000


def scroll_through(page):
    """Scroll to the end and back, so lazy images load before a full-page screenshot."""
    page.evaluate(
        "async () => { for (let y = 0; y < document.body.scrollHeight; y += 700) {"
        " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 40)); } window.scrollTo(0, 0); }"
    )


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
def test_every_page_type_at_phone_and_desktop_widths(live_site, browser, language, viewport):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    too_tall, broken = [], []
    try:
        for name, path in PAGE_TYPES.items():
            response = page.goto(f"{live_site}/{language}/{path}")
            assert response.status == 200, path
            scroll_through(page)
            page.screenshot(path=str(SCREENSHOTS / f"visitor-{name}-{language}-{viewport['width']}.png"), full_page=True)
            assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            # No picture failed to load.
            broken += [
                f"{path}: {src}"
                for src in page.evaluate(
                    "Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
                )
            ]
            if viewport is PHONE:
                header = page.locator(".site-header").bounding_box()["height"]
                assert header <= MAX_PHONE_HEADER, f"{path}: the header is {header} px tall on a phone"
                height = page.evaluate("document.documentElement.scrollHeight")
                if height > MAX_PHONE_PAGE:
                    too_tall.append(f"{path}: {height} px")
                # Nothing wider than the screen.
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    finally:
        context.close()
    assert too_tall == []
    assert broken == []


def test_phone_menu_works_without_javascript(live_site, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_site}/en/")
        links = page.locator(".mobile-menu__links a")
        assert not links.first.is_visible()
        assert not page.locator(".main-nav").is_visible()  # the desktop row is hidden on phones
        page.locator(".mobile-menu__toggle").click()
        assert links.first.is_visible()
        page.locator(".mobile-menu__links a", has_text="Events").click()
        page.wait_for_url(f"{live_site}/en/events/")
    finally:
        context.close()


def test_desktop_shows_the_menu_row_and_no_menu_button(live_site, page):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_site}/en/")
    assert page.locator(".main-nav").is_visible()
    assert not page.locator(".mobile-menu__toggle").is_visible()


def test_a_join_form_sent_one_second_after_loading_gets_a_clear_message_and_can_be_sent_again(live_site, page):
    page.goto(f"{live_site}/en/join/")
    page.fill("#id_organisation", "Quick Transit")
    page.select_option("#id_partner_type", "city")
    page.select_option("#id_country", "FR")
    page.fill("#id_contact_name", "Ada Fast")
    page.fill("#id_email", "ada@quick.example")
    page.fill("#id_message", "We fill forms quickly.")
    page.check("#id_consent")
    page.click(".join-form button[type=submit]")  # about a second after the page loaded
    notice = page.locator(".join-form__confirm")
    notice.wait_for()
    assert "send it again" in notice.inner_text()
    assert page.evaluate("document.activeElement.id") == "join-confirm"  # announced and focused
    assert page.input_value("#id_organisation") == "Quick Transit"  # nothing to type again
    page.check("#id_consent")
    page.wait_for_timeout(6500)  # tests/e2e/settings.py: PARTNERS_JOIN_MIN_SECONDS
    page.click(".join-form button[type=submit]")
    page.wait_for_url("**/en/join/?sent=1")
    assert "Thank you" in page.locator("main").inner_text()


def test_join_errors_are_summarised_and_the_summary_takes_focus(live_site, page):
    page.goto(f"{live_site}/en/join/")
    page.wait_for_timeout(6500)
    page.fill("#id_email", "not an address")
    page.click(".join-form button[type=submit]")
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "join-errors"
    summary.locator("a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
