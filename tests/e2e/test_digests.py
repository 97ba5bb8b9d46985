"""Topic digests in a real browser: subscribe from an article's topics, confirm from the mail the
site sent, and unsubscribe from the preferences page."""

import re

ARTICLE = "/en/articles/cyber-security-guidelines-for-smart-city-technology-adoption/"


def test_subscribe_confirm_from_the_mail_and_unsubscribe(live_site, page, mailbox, screenshot):
    sent_before = len(mailbox())
    response = page.goto(f"{live_site}{ARTICLE}")
    assert response.status == 200
    page.get_by_role("link", name="Get these topics by email").click()
    page.wait_for_url(re.compile(r".*/en/subscribe/\?topics=.+"))
    chosen = page.locator("input[name=topics]:checked")
    assert chosen.count() >= 1  # the article's topics are ticked
    page.fill("input[name=email]", "browser-reader@example.org")
    page.check("input[name=consent]")
    screenshot("digest-subscribe")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check your mail"

    mails = mailbox()[sent_before:]
    (confirmation,) = [mail for mail in mails if "browser-reader@example.org" in mail]
    path = re.search(r"https?://[^/\s]+(/en/subscribe/confirm/[\w-]+/)", confirmation).group(1)
    page.goto(f"{live_site}{path}")
    assert page.locator("h1").inner_text() == "You are subscribed"
    screenshot("digest-confirmed")

    page.get_by_role("link", name="Change your topics now").click()
    page.wait_for_url(re.compile(r".*/en/subscribe/preferences/[\w-]+/"))
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    screenshot("digest-unsubscribed")
    # The confirmation link's address is no longer subscribed: its preference link is dead.
    page.go_back()
    page.reload()
    assert page.locator("h1").inner_text() == "This link does not work"
