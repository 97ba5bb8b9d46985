"""The security model, one protection at a time, each with the attack it blocks (SECURITY.md).

Round two (issue #11):

| item | attack blocked | tests |
|---|---|---|
| 1. files private until published | reading a partner's unreviewed upload, or a file of a draft, at /documents/ or in the public API | ``test_document_of_a_draft_is_private_until_the_page_is_published``, ``test_document_on_a_private_page_is_not_public``, ``test_logo_in_a_draft_revision_stays_private_until_approved`` |
| 2. admin isolation | partner A reading partner B's drafts, files and people in any admin listing | ``tests/test_admin_isolation.py`` (the walk over the admin URL names), ``test_partner_cannot_create_site_wide_topics`` |
| 3. client address | choosing one's address with X-Forwarded-For to escape the lockout or a rate limit; spraying passwords | ``test_forged_forwarded_for_changes_nothing_without_proxy_count``, ``test_forged_forwarded_for_does_not_reset_the_join_rate_limit``, ``test_five_failures_from_several_addresses_lock_the_account``, ``test_five_failures_from_one_address_for_several_accounts_lock_the_address``, ``test_locked_account_opens_after_the_cool_off_or_with_the_unlock_command``, ``test_client_ip_trusts_only_the_configured_proxies`` |
| 4. password reset | mail bombing an address; telling known from unknown addresses by timing | ``test_password_reset_sends_no_mail_in_the_request_and_answers_alike``, ``test_password_reset_is_rate_limited_per_account_and_per_address`` |
| 5. control characters | header injection into the board's mail; a mail that fails in the worker | ``test_join_form_refuses_control_characters_in_one_line_fields``, ``test_board_mail_subject_is_one_line_whatever_is_stored`` |
| 6. admin CSP | script injected into an admin page running | ``test_admin_header_equals_the_documented_policy``, ``test_every_inline_script_of_the_admin_carries_the_responses_nonce``, ``test_preview_keeps_the_public_policy_framable_by_the_admin_only``, ``tests/e2e/test_admin_csp.py`` |
| 7. topics | partners creating site-wide topics | ``test_partner_cannot_create_site_wide_topics``, ``test_board_creates_topics_through_the_snippet`` |
| 8. recovery codes | a lost phone needing an operator; a code used twice; guessing codes | ``test_recovery_code_signs_in_once_and_never_again`` and the tests after it |
| 9. no Gravatar | sending a hash of each admin's email to a third party | ``test_admin_makes_no_gravatar_requests`` |
| fuzz | a 500 or traceback from hostile input to any public URL pattern | ``test_hostile_values_in_every_public_url_pattern_never_give_a_5xx`` |

The earlier matrix stays: lockout and 2FA (above and below), isolation of writes
(``tests/test_partner_permissions.py``), uploads (``tests/test_articles_admin.py``), headers,
stored and reflected XSS, CSRF and open redirects (the last section).
"""

import io
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import default_task_backend

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, get_resolver, reverse
from django.utils import timezone, translation

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from articles.models import ArticleDownload, ArticlePage
from hub import validators
from hub.models import Topic
from hub.net import client_ip
from hub.password_reset import send_password_reset
from hub.two_factor import RECOVERY_CODE_COUNT, new_recovery_codes
from partners.join import notify_board
from partners.models import MembershipApplication
from partners.permissions import partner_collection, setup_board, sync_partner_permissions
from tests.admin_forms import article_form
from tests.factories import ArticleIndexPageFactory, ArticlePageFactory, MembershipApplicationFactory
from tests.helpers import make_user, translate_page
from tests.html import soup
from tests.test_join import valid_data as join_data

BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]


@pytest.mark.django_db
def test_admin_login_locks_after_five_failures(client, settings, home):
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.AXES_ENABLED = True
    User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9")
    for _ in range(4):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    assert client.post("/admin/login/", {"username": "editor", "password": "wrong"}).status_code == 429
    # Locked: even the right password is refused for now.
    response = client.post("/admin/login/", {"username": "editor", "password": "correct-horse-battery-9"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_login_succeeds_with_throttling_enabled(client, settings, home):
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.AXES_ENABLED = True
    User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9")
    response = client.post("/admin/login/", {"username": "editor", "password": "correct-horse-battery-9"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.django_db
def test_public_responses_carry_security_headers(client, home):
    response = client.get("/en/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# --- Two-factor sign-in ---------------------------------------------------------------------


def _totp(device, steps_ahead=0):
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps later)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


@pytest.mark.django_db
def test_admin_requires_two_factor_setup_then_code(client, settings, home):
    settings.HUB_ADMIN_2FA_REQUIRED = True
    user = User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9")
    client.force_login(user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/setup/")
    setup = client.get(response["Location"])
    assert setup.status_code == 200 and b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post("/admin/2fa/setup/", {"token": "000000" if _totp(device) != "000000" else "111111"})
    assert "not valid" in wrong.content.decode()
    assert "wait a few seconds" in client.post("/admin/2fa/setup/", {"token": _totp(device)}).content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the wait is over
    done = client.post("/admin/2fa/setup/?next=/admin/pages/", {"token": _totp(device), "next": "/admin/pages/"})
    # Set up: the recovery codes are shown once, with the way on to where the user was going.
    assert done.status_code == 302 and done["Location"] == "/admin/2fa/recovery-codes/?next=/admin/pages/"
    codes_page = soup(client.get(done["Location"]))
    assert len(codes_page.select(".hub-recovery-codes code")) == RECOVERY_CODE_COUNT
    assert codes_page.select_one("main a.button")["href"] == "/admin/pages/"
    assert not soup(client.get(done["Location"])).select(".hub-recovery-codes code")  # shown only once
    assert client.get("/admin/pages/").status_code == 200

    # A new session must pass the code again.
    client.logout()
    client.force_login(user)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/2fa/verify/")
    assert client.post("/admin/2fa/verify/", {"token": "abc"}).status_code == 200  # form error, no 500
    device.refresh_from_db()
    # A code is single-use; the app's next code (accepted within the drift tolerance) signs in.
    assert (
        client.post("/admin/2fa/verify/", {"token": _totp(device, steps_ahead=1), "next": "https://evil.example/"})[
            "Location"
        ]
        == "/admin/"
    )


@pytest.mark.django_db
def test_reset_two_factor_command(home):
    user = User.objects.create_user("editor", "e@example.org", "correct-horse-battery-9")
    TOTPDevice.objects.create(user=user, name="phone")
    call_command("reset_two_factor", "editor", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=user).exists()
    with pytest.raises(CommandError, match="no user called"):
        call_command("reset_two_factor", "nobody")


# --- Client address behind proxies -----------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the left entry is client-supplied
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: fall back to the socket
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(rf, settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- Recovery codes (a lost phone without an operator) -----------------------------------------


@pytest.fixture
def two_factor_user(settings, home):
    """An admin user with an authenticator app and recovery codes, two-factor sign-in required."""
    settings.HUB_ADMIN_2FA_REQUIRED = True
    user = User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, new_recovery_codes(user)


def test_recovery_code_signs_in_once_and_never_again(client, two_factor_user):
    user, codes = two_factor_user
    client.force_login(user)
    verify = client.get(client.get("/admin/pages/")["Location"])
    recover_link = soup(verify).select_one('a[href^="/admin/2fa/recover/"]')["href"]
    assert recover_link == "/admin/2fa/recover/?next=/admin/pages/"
    # Typed in capitals with a space, as people do: accepted.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    response = client.post(recover_link, {"code": typed, "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    page = client.get("/admin/pages/")
    assert page.status_code == 200 and "9 codes are left" in page.content.decode()

    # The same code never works again, in a new session.
    client.logout()
    client.force_login(user)
    again = client.post("/admin/2fa/recover/", {"code": codes[0], "next": "/admin/pages/"})
    assert again.status_code == 200 and "not valid, or it has been used" in again.content.decode()
    assert client.get("/admin/pages/")["Location"].startswith("/admin/2fa/verify/")
    StaticDevice.objects.update(throttling_failure_count=0)  # the wait after a failure is over
    # Another code still does.
    assert client.post("/admin/2fa/recover/", {"code": codes[1]})["Location"] == "/admin/"


def test_recovery_codes_are_throttled(client, two_factor_user):
    user, codes = two_factor_user
    client.force_login(user)
    client.post("/admin/2fa/recover/", {"code": "aaaaaaaa"})
    # Right after a failure even a good code must wait: guessing 40-bit codes is not practical.
    assert "wait a few seconds" in client.post("/admin/2fa/recover/", {"code": codes[0]}).content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, two_factor_user):
    user, old_codes = two_factor_user
    client.force_login(user)
    client.post("/admin/2fa/recover/", {"code": old_codes[0]})
    account = client.get("/admin/account/").content.decode()
    assert "/admin/2fa/recovery-codes/" in account
    response = client.post("/admin/2fa/recovery-codes/", {"action": "new-codes"})
    new_codes = [code.text for code in soup(client.get(response["Location"])).select(".hub-recovery-codes code")]
    assert len(new_codes) == RECOVERY_CODE_COUNT and not set(new_codes) & set(old_codes)
    client.logout()
    client.force_login(user)
    assert client.post("/admin/2fa/recover/", {"code": old_codes[1]}).status_code == 200  # refused
    StaticDevice.objects.update(throttling_failure_count=0)  # the wait after a failure is over
    assert client.post("/admin/2fa/recover/", {"code": new_codes[0]}).status_code == 302


def test_lost_phone_is_replaced_after_a_recovery_code(client, two_factor_user):
    user, codes = two_factor_user
    client.force_login(user)
    # The password alone can neither pair a new phone nor reach the recovery codes page.
    assert client.get("/admin/2fa/setup/")["Location"].startswith("/admin/2fa/verify/")
    assert client.post("/admin/2fa/recovery-codes/", {"action": "replace-app"})["Location"].startswith(
        "/admin/2fa/verify/"
    )
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    client.post("/admin/2fa/recover/", {"code": codes[0]})
    response = client.post("/admin/2fa/recovery-codes/", {"action": "replace-app"})
    assert response["Location"].startswith("/admin/2fa/setup/")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert b"<svg" in client.get(response["Location"]).content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/admin/2fa/setup/", {"token": _totp(device)})
    assert done["Location"].startswith("/admin/2fa/recovery-codes/")


def test_operator_reset_removes_recovery_codes_too(two_factor_user):
    user, _codes = two_factor_user
    call_command("reset_two_factor", "editor", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()


# --- Join form: control characters (header injection, a mail that fails in the worker) ----------


def test_join_form_refuses_control_characters_in_one_line_fields(client, partners_section):
    hostile = [
        ("organisation", "Gotham\r\nBcc: victim@example.org"),
        ("contact_name", "Ada\tApplicant"),
        ("role", "CISO\u2028Bcc: x@example.org"),
        ("organisation", "Gotham \u202eevil"),
    ]
    for code, (field, value) in zip(["en", "es", "fr", "ar"], hostile, strict=True):
        with translation.override(code):
            message = translation.gettext("Enter this on one line, without line breaks or other control characters.")
        assert code == "en" or "line" not in message  # a clear error in the visitor's language
        response = client.post(f"/{code}/join/", join_data(**{field: value}))
        assert response.status_code == 200
        assert message in soup(response).get_text(), (code, field)
    assert not MembershipApplication.objects.exists() and not mail.outbox


def test_join_form_keeps_line_breaks_in_the_message_only(client, partners_section):
    response = client.post("/en/join/", join_data(message="Line one.\r\nLine two.\tTabbed."))
    assert response.status_code == 302
    assert MembershipApplication.objects.get().message == "Line one.\r\nLine two.\tTabbed."
    refused = client.post("/en/join/", join_data(message="Bell \x07 ringing"))
    assert "invisible control characters" in refused.content.decode()


def test_board_mail_subject_is_one_line_whatever_is_stored(rf, home):
    # Stored before the form refused it (or written by other code): the mail must still go out.
    application = MembershipApplicationFactory(organisation="Gotham\r\nBcc: victim@example.org\x0b")
    notify_board(application, rf.get("/en/join/"))
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert "\n" not in subject and "\r" not in subject and "\x0b" not in subject
    assert subject.endswith("Gotham Bcc: victim@example.org")
    assert mail.outbox[0].bcc == []


def test_one_line_collapses_and_cuts():
    assert validators.one_line("a\n\n b\u2029c", max_length=150) == "a b c"
    assert validators.one_line("x" * 200, max_length=10) == "xxxxxxxxx…"


# --- Topics: partners choose, the Board creates ---------------------------------------------------


def test_partner_cannot_create_site_wide_topics(client, home, two_partners):
    articles = ArticleIndexPageFactory(parent=home)
    sync_partner_permissions()
    Topic.objects.create(name="Parking", slug="parking")
    client.force_login(make_user("alpha-editor", two_partners["group_a"]))
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", articles.pk))
    response = client.post(url, article_form(tags="Parking, Free Candy Topic", **{"action-submit": "1"}))
    assert response.status_code == 302
    article = ArticlePage.objects.get(locale__language_code="en")
    assert [tag.slug for tag in article.tags.all()] == ["parking"]
    assert list(Topic.objects.values_list("name", flat=True)) == ["Parking"]
    # Nor through the snippet.
    assert client.post("/admin/snippets/hub/topic/add/", {"name": "Candy", "slug": "candy"}).status_code in (302, 403)
    assert not Topic.objects.filter(name="Candy").exists()


def test_board_creates_topics_through_the_snippet(client, two_partners):
    client.force_login(make_user("board-member", setup_board()[0]))
    response = client.post("/admin/snippets/hub/topic/add/", {"name": "Water", "slug": "water"})
    assert response.status_code == 302
    assert Topic.objects.filter(slug="water").exists()


# --- Avatars: no third-party requests from the admin -----------------------------------------------


def test_admin_makes_no_gravatar_requests(client, home):
    user = User.objects.create_superuser("editor", "editor@example.org", "correct-horse-battery-9")
    client.force_login(user)
    for url in ["/admin/", "/admin/account/", "/admin/users/", f"/admin/users/{user.pk}/"]:
        body = client.get(url).content.decode()
        assert "gravatar" not in body.lower(), url


# --- Files: unreviewed uploads stay private until a page using them is published ------------------


def _document(collection, user, name="plan.pdf", title="Secret plan"):
    document = get_document_model().objects.create(title=title, collection=collection, uploaded_by_user=user)
    document.file.save(name, ContentFile(b"%PDF-1.4 confidential draft"))
    return document


def _api_ids(client, endpoint):
    response = client.get(f"/api/v2/{endpoint}/")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def partner_draft(home, two_partners):
    """Partner A's proposed article (a draft in review) offering A's uploaded document."""
    index = ArticleIndexPageFactory(parent=home)
    partner = make_user("alpha-editor", two_partners["group_a"])
    document = _document(partner_collection(two_partners["a"]), partner)
    article = ArticlePageFactory(parent=index, slug="plan", live=False, owner=partner)
    ArticleDownload.objects.create(page=article, document=document, locale=article.locale)
    return {"article": article, "document": document, "partner": partner, **two_partners}


def test_document_of_a_draft_is_private_until_the_page_is_published(client, partner_draft):
    document, article = partner_draft["document"], partner_draft["article"]
    # Anonymous visitors: 404 for the file, nothing in the public API.
    assert client.get(document.url).status_code == 404
    assert document.pk not in _api_ids(client, "documents")
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404
    assert article.pk not in _api_ids(client, "pages")
    # Partner B (signed in, but not allowed to see A's files): 404 too.
    client.force_login(make_user("beta-editor", partner_draft["group_b"]))
    assert client.get(document.url).status_code == 404
    # Partner A, who uploaded it, and the Board can download it; no shared cache keeps it.
    for user in (partner_draft["partner"], make_user("board-member", setup_board()[0])):
        client.force_login(user)
        response = client.get(document.url)
        assert response.status_code == 200 and b"confidential" in b"".join(response.streaming_content)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    client.logout()

    # The Board publishes the page: the file becomes public, and the API lists both.
    article.save_revision().publish()
    response = client.get(document.url)
    assert response.status_code == 200 and "private" not in response.get("Cache-Control", "")
    assert document.pk in _api_ids(client, "documents") and article.pk in _api_ids(client, "pages")
    assert client.get(f"/api/v2/documents/{document.pk}/").json()["meta"]["download_url"].endswith(document.url)

    # Unpublished again: private again.
    article.refresh_from_db()
    article.unpublish()
    assert client.get(document.url).status_code == 404
    assert document.pk not in _api_ids(client, "documents")


def test_document_on_a_private_page_is_not_public(client, partner_draft):
    document, article = partner_draft["document"], partner_draft["article"]
    article.save_revision().publish()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(document.url).status_code == 404
    assert document.pk not in _api_ids(client, "documents") and article.pk not in _api_ids(client, "pages")


def test_logo_in_a_draft_revision_stays_private_until_approved(client, two_partners, settings):
    a = two_partners["a"]
    partner = make_user("alpha-editor", two_partners["group_a"])
    image = get_image_model().objects.create(
        title="New logo",
        file=get_test_image_file("new-logo.png"),
        collection=partner_collection(a),
        uploaded_by_user=partner,
    )
    a.logo = image
    a.save_revision(user=partner)  # the partner's draft, waiting for the Board
    assert image.pk not in _api_ids(client, "images")
    assert client.get(f"/api/v2/images/{image.pk}/").status_code == 404
    # Originals are never served by the app, in development either.
    settings.DEBUG = True
    assert client.get(image.file.url).status_code == 404
    settings.DEBUG = False

    a.get_latest_revision().publish()
    assert image.pk in _api_ids(client, "images")
    detail = client.get(f"/api/v2/images/{image.pk}/").json()
    assert detail["title"] == "New logo" and "download_url" not in detail["meta"]


# --- Client address and lockout: X-Forwarded-For is not trusted by default ------------------------


@pytest.fixture
def lockout(settings, home):
    """django-axes switched on (the test settings leave it off), and an admin account."""
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.AXES_ENABLED = True
    return User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9")


def _sign_in(client, password, address, forwarded=None):
    extra = {"REMOTE_ADDR": address} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return client.post("/admin/login/", {"username": "editor", "password": password}, **extra)


def test_five_failures_from_several_addresses_lock_the_account(client, lockout):
    for number in range(4):
        assert _sign_in(client, "wrong", f"198.51.100.{number}").status_code == 200
    assert _sign_in(client, "wrong", "198.51.100.4").status_code == 429
    # A sixth address with the right password: still locked, with the clear message.
    response = _sign_in(client, "correct-horse-battery-9", "203.0.113.77")
    assert response.status_code == 429
    assert "locked for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_forged_forwarded_for_changes_nothing_without_proxy_count(client, lockout, settings):
    assert settings.PROXY_COUNT == 0  # the default, in production too
    for number in range(5):
        _sign_in(client, "wrong", "192.0.2.10", forwarded=f"203.0.113.{number}")
    # The attempts were recorded against the socket's address, not the forged ones...
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    # ...and forging yet another address does not get round the lock.
    assert _sign_in(client, "correct-horse-battery-9", "192.0.2.10", forwarded="198.51.100.200").status_code == 429


def test_locked_account_opens_after_the_cool_off_or_with_the_unlock_command(client, lockout):
    for number in range(5):
        _sign_in(client, "wrong", f"198.51.100.{number}")
    assert _sign_in(client, "correct-horse-battery-9", "198.51.100.9").status_code == 429
    call_command("axes_reset_username", "editor", stdout=io.StringIO())
    assert _sign_in(client, "correct-horse-battery-9", "198.51.100.9").status_code == 302
    client.logout()
    for number in range(5):
        _sign_in(client, "wrong", f"198.51.100.{number}")
    assert _sign_in(client, "correct-horse-battery-9", "198.51.100.9").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))  # the cool-off passes
    assert _sign_in(client, "correct-horse-battery-9", "198.51.100.9").status_code == 302


def test_forged_forwarded_for_does_not_reset_the_join_rate_limit(client, partners_section, settings):
    settings.HUB_RATE_LIMITS = {**settings.HUB_RATE_LIMITS, "join": (3, 3600)}
    statuses = [
        client.post(
            "/en/join/", join_data(email="bad"), REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_five_failures_from_one_address_for_several_accounts_lock_the_address(client, lockout):
    for name in ["ana", "ben", "cai", "dee", "eve"]:
        client.post("/admin/login/", {"username": name, "password": "wrong"}, REMOTE_ADDR="192.0.2.99")
    # Spraying passwords over many accounts from one address stops there.
    assert _sign_in(client, "correct-horse-battery-9", "192.0.2.99").status_code == 429
    assert _sign_in(client, "correct-horse-battery-9", "192.0.2.100").status_code == 302


# --- Password reset: queued mail, same answer, rate limited ------------------------------------------


@pytest.fixture
def queued_tasks(settings):
    """Tasks are stored, not run, so a test sees what a request leaves for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = default_task_backend
    backend.clear()
    return backend


def _reset(client, email, address="192.0.2.1"):
    return client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_sends_no_mail_in_the_request_and_answers_alike(client, home, queued_tasks):
    User.objects.create_user("known", "known@example.org", "correct-horse-battery-9")
    timings = {}
    for email in ["known@example.org", "unknown@example.org"]:
        with CaptureQueriesContext(connection) as queries:
            response = _reset(client, email)
        timings[email] = (response.status_code, response["Location"], len(queries))
    # The same answer and the same work (database queries) for a known and an unknown address...
    assert timings["known@example.org"] == timings["unknown@example.org"]
    assert timings["known@example.org"][:2] == (302, "/admin/password_reset/done/")
    # ...no mail inside the request: one task each, holding only the address and language.
    assert not mail.outbox
    assert [result.args for result in queued_tasks.results] == [
        ["known@example.org", "en"],
        ["unknown@example.org", "en"],
    ]
    # The worker mails the known address only, with a working link.
    for result in queued_tasks.results:
        send_password_reset.call(*result.args)
    assert [message.to for message in mail.outbox] == [["known@example.org"]]
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+)", mail.outbox[0].body).group(1)
    assert client.get(link, follow=True).status_code == 200


def test_password_reset_is_rate_limited_per_account_and_per_address(client, home, queued_tasks):
    # Per account: the fourth request for one address within the hour, from anywhere, is refused.
    statuses = [_reset(client, "victim@example.org", f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    refused = _reset(client, "victim@example.org", "198.51.100.9")
    assert "Too many password reset requests" in refused.content.decode() and refused["Retry-After"] == "3600"
    # Per client address: the sixth request from one address within the hour, whatever the account.
    statuses = [_reset(client, f"user{n}@example.org", "192.0.2.50").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(queued_tasks.results) == 3 + 5


# --- Content-Security-Policy: the admin's own, exactly as documented --------------------------------


def _directives(policy):
    """``{directive: sorted sources}`` of a policy, with any nonce written as ``'nonce-…'``."""
    parsed = {}
    for part in filter(None, (item.strip() for item in policy.split(";"))):
        name, *sources = part.split()
        parsed[name] = sorted(re.sub(r"^'nonce-.+'$", "'nonce-…'", source) for source in sources)
    return parsed


def _documented_admin_policy():
    readme = (settings.BASE_DIR / "README.md").read_text()
    block = readme.split("<!-- admin-csp -->", 1)[1].split("<!-- /admin-csp -->", 1)[0]
    return block.replace("```", "").strip()


@pytest.mark.django_db
def test_admin_header_equals_the_documented_policy(client, home, settings):
    user = User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9")
    documented = _directives(_documented_admin_policy())
    assert "'unsafe-inline'" not in documented["script-src"] and "'unsafe-eval'" not in str(documented)
    for url in ["/admin/login/", "/admin/2fa/setup/"]:
        assert _directives(client.get(url)["Content-Security-Policy"]) == documented, url
    client.force_login(user)
    for url in ["/admin/", "/admin/pages/", "/admin/api/main/pages/"]:
        assert _directives(client.get(url)["Content-Security-Policy"]) == documented, url


@pytest.mark.django_db
def test_every_inline_script_of_the_admin_carries_the_responses_nonce(client, home, events_index, make_event):
    """The hub's copies of Wagtail's templates and its chooser patch (hub.csp): no admin page has an
    inline script the policy would block (the browser test then runs them)."""
    articles = ArticleIndexPageFactory(parent=home)
    article = ArticlePageFactory(parent=articles)
    event = make_event(start=timezone.now() + timedelta(days=30))
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9"))
    urls = [
        f"/admin/pages/{article.pk}/edit/",  # choosers, inline panels, date picker, publishing schedule
        f"/admin/pages/add/articles/articlepage/{articles.pk}/",
        f"/admin/pages/{event.pk}/edit/",  # date and time pickers
        f"/admin/localize/submit/page/{article.pk}/",
        "/admin/searchpicks/add/",
        "/admin/snippets/partners/person/add/",
        "/admin/reports/site-history/",  # date filters
        "/admin/users/",
    ]
    scripts = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        for script in soup(response).find_all("script"):
            if script.get("src") or script.get("type") in {"application/json", "application/ld+json"}:
                continue
            scripts += 1
            assert script.get("nonce") == nonce, (url, str(script)[:200])
    assert scripts > 10  # the check found Wagtail's inline scripts to look at


@pytest.mark.django_db
def test_preview_keeps_the_public_policy_framable_by_the_admin_only(client, home):
    page_under_test = ArticlePageFactory(parent=ArticleIndexPageFactory(parent=home))
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "correct-horse-battery-9"))
    url = f"/admin/pages/{page_under_test.pk}/edit/preview/"
    assert client.post(url, article_form(slug=page_under_test.slug)).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200 and "Smart parking meters" in response.content.decode()
    preview = _directives(response["Content-Security-Policy"])
    public = _directives(client.get("/en/")["Content-Security-Policy"])
    assert preview == {**public, "frame-ancestors": ["'self'"]}
    assert public["frame-ancestors"] == ["'none'"]


# --- Bounded fuzz: hostile values in every public URL pattern, never a 5xx -----------------------------

HUGE_NUMBER = "99999999999999999999"  # past every integer column: must be a 404, not a database error
HOSTILE = [
    "'",
    '"><script>alert(1)</script>',
    "%00",
    "%ff%fe",
    "..%2f..%2f..%2fetc%2fpasswd",
    "-1",
    HUGE_NUMBER,
    "%0d%0aSet-Cookie:%20x=1",
    "%e2%80%ae",
    "{{7*7}}",
]
# Every public URL pattern with the places hostile values go ({} is replaced); paths below a
# language prefix are tried in English and Arabic.
FUZZED = [
    "/{lang}/?page={}",
    "/{lang}/articles/?kind={}&tag={}&page={}",
    "/{lang}/articles/{}/",
    "/{lang}/articles/feed.rss?tag={}",
    "/{lang}/articles/feed.atom?kind={}",
    "/{lang}/events/?page={}",
    "/{lang}/events/past/?page={}",
    "/{lang}/events/{}/",
    "/{lang}/events/{}/event.ics",
    "/{lang}/events/calendar.ics?tag={}",
    "/{lang}/partners/?type={}&country={}",
    "/{lang}/partners/{}/",
    "/{lang}/contributors/?page={}",
    "/{lang}/join/?sent={}",
    "/{lang}/search/?q={}&page={}",
    "/{lang}/{}/",
    "/{lang}/{}.ics",
    "/sitemap.xml?p={}",
    "/robots.txt?{}",
    "/.well-known/security.txt?{}",
    "/healthz?{}",
    "/?{}",
    "/api/v2/pages/?search={}&type={}",
    "/api/v2/pages/?fields={}&order={}&limit={}&offset={}",
    "/api/v2/pages/?child_of={}&locale={}",
    "/api/v2/pages/{}/",
    "/api/v2/pages/find/?html_path={}",
    "/api/v2/documents/?search={}",
    "/api/v2/documents/{}/",
    "/api/v2/images/?tags={}",
    "/api/v2/images/{}/",
    "/documents/{}/{}",
    "/documents/1/{}",
    "/documents/authenticate_with_password/1/?return_url={}",
    "/{lang}/_util/login/?next={}",
    "/{lang}/_util/authenticate_with_password/1/1/?return_url={}",
    "/sitemap-en.xml?p={}",
    "/{lang}/registrations/{}/",
    "/{lang}/subscribe/unsubscribe/{}/",
]


def _public_pattern_names():
    """Names (or view paths) of the URL patterns outside the admin, from the URL resolver."""
    names = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif not (prefix + str(pattern.pattern)).startswith("admin/"):
                names.add(pattern.name or pattern.lookup_str)

    walk(get_resolver().url_patterns)
    return names


def _fuzz(client, languages, values_for):
    """Request every FUZZED template with hostile values; return (5xx answers, pattern names reached)."""
    requested, failures = set(), []
    for number, template in enumerate(FUZZED):
        for lang in languages if "{lang}" in template else [None]:
            for value in values_for(number):
                url = template.replace("{lang}", lang or "").replace("{}", value)
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=value)
                if response.status_code >= 500:
                    failures.append((url, response.status_code))
                try:
                    requested.add(response.resolver_match.url_name or response.resolver_match._func_path)
                except Resolver404:
                    continue
    for value in HOSTILE:
        for url, data in [
            ("/en/join/", join_data(organisation=value, website=value, country=value)),
            ("/api/v2/pages/", {"x": value}),
        ]:
            if client.post(url, data).status_code >= 500:
                failures.append((f"POST {url}", value))
    return failures, requested


@pytest.fixture
def fuzz_site(partners_section, events_index, make_event, settings):
    """A site with one page of every kind, in English and Arabic, and no rate limit in the way."""
    settings.HUB_RATE_LIMITS = dict.fromkeys(settings.HUB_RATE_LIMITS, (10000, 60))
    articles = ArticleIndexPageFactory(parent=partners_section["index"].get_parent())
    ArticlePageFactory(parent=articles)
    translate_page(articles, codes=["ar"])
    make_event(start=timezone.now() + timedelta(days=3))


@pytest.mark.django_db
def test_hostile_values_in_every_public_url_pattern_never_give_a_5xx(client, fuzz_site):
    """The fast tier's bounded share: a huge number and two other hostile values per pattern, in turn
    (about 120 requests)."""
    failures, requested = _fuzz(
        client, ["en"], lambda number: [HUGE_NUMBER] + [HOSTILE[(number + k) % len(HOSTILE)] for k in (0, 5)]
    )
    assert failures == []
    # Every public pattern of the URL resolver was reached by at least one hostile request.
    missing = {name for name in _public_pattern_names() if name not in requested}
    assert not missing, missing


@pytest.mark.slow
@pytest.mark.django_db
def test_every_hostile_value_in_every_public_url_pattern_in_two_languages(client, fuzz_site):
    """The whole matrix (about 700 requests)."""
    failures, _requested = _fuzz(client, ["en", "ar"], lambda number: HOSTILE)
    assert failures == []


# --- The earlier matrix: stored and reflected XSS, CSRF, open redirects --------------------------------

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_stored_and_reflected_markup_is_escaped_everywhere(client, two_partners):
    # Stored through the join form, shown to the Board in the admin.
    client.post("/en/join/", join_data(organisation=XSS, contact_name="Mallory", message=XSS))
    application = MembershipApplication.objects.get()
    client.force_login(make_user("board-member", setup_board()[0]))
    for url in ["/admin/partners/applications/", f"/admin/partners/applications/edit/{application.pk}/"]:
        body = client.get(url).content.decode()
        assert "<script>alert(" not in body and "onerror=alert" not in body.replace("onerror=alert(1)&gt;", ""), url
    client.logout()
    # Stored in a partner profile the Board published, shown to everyone.
    profile = two_partners["a"]
    profile.summary = XSS
    profile.save_revision().publish()
    body = client.get("/en/partners/alpha/").content.decode()
    assert "<script>alert(" not in body and "&lt;script&gt;" in body
    # Reflected from the search box.
    body = client.get("/en/search/", {"q": XSS}).content.decode()
    assert "<script>alert(" not in body


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(partners_section):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/en/join/", join_data()).status_code == 403
    assert client.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 403
    assert client.post("/admin/password_reset/", {"email": "a@example.org"}).status_code == 403
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_no_open_redirect_after_sign_in_or_two_factor(client, two_factor_user, target):
    user, codes = two_factor_user
    response = client.post(
        f"/admin/login/?next={target}", {"username": "editor", "password": "correct-horse-battery-9", "next": target}
    )
    assert response.status_code == 302 and not response["Location"].startswith(("http", "//", "/\\", "javascript"))
    response = client.post("/admin/2fa/recover/", {"code": codes[0], "next": target})
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_public_api_is_rate_limited_per_client(client, home, settings):
    settings.HUB_RATE_LIMITS = {**settings.HUB_RATE_LIMITS, "api": (2, 60)}
    statuses = [client.get(url).status_code for url in ["/api/v2/pages/", "/api/v2/documents/", "/api/v2/images/"]]
    assert statuses == [200, 200, 429]
    # Another client is not affected; a forged X-Forwarded-For does not make one.
    assert client.get("/api/v2/pages/", REMOTE_ADDR="192.0.2.44").status_code == 200
    assert client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
