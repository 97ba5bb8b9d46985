"""Smoke test in a real browser: every locale's home page, and signing in to the admin."""

from django.conf import settings


def test_home_page_in_every_locale(live_site, page, screenshot):
    for code, _name in settings.LANGUAGES:
        response = page.goto(f"{live_site}/{code}/")
        assert response.status == 200
        html = page.locator("html")
        assert html.get_attribute("lang") == code
        assert html.get_attribute("dir") == ("rtl" if code == "ar" else "ltr")
        assert page.locator("h1").count() == 1
        # The stylesheet loaded: the header has its brand colour, not the browser default.
        background = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
        assert background == "rgb(11, 79, 108)"
        screenshot(f"home-{code}")


def test_skip_link_is_first_in_focus_order(live_site, page):
    page.goto(f"{live_site}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"


def test_arabic_layout_is_mirrored(live_site, page):
    page.goto(f"{live_site}/ar/")
    brand = page.locator("header .brand").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    # Right-to-left: the brand sits at the right-hand end of the header, the switcher to its left.
    assert brand["x"] > switcher["x"]
    # The navigation starts on the right: its first item is right of its second.
    items = page.locator(".main-nav li")
    assert items.count() >= 2
    assert items.nth(0).bounding_box()["x"] > items.nth(1).bounding_box()["x"]
    # Text is right-aligned: the page heading ends near the right edge of the content.
    heading = page.locator("h1").bounding_box()
    assert heading["x"] + heading["width"] > 1280 / 2


def test_admin_sign_in(live_site, editor, page, screenshot):
    page.goto(f"{live_site}/admin/")
    page.fill("input[name=username]", editor["username"])
    page.fill("input[name=password]", editor["password"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_site}/admin/")
    assert page.locator("h1").first.is_visible()
    assert "Securing Smart Cities" in page.content()
    screenshot("admin-dashboard")
