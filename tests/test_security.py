"""Security model: login throttling, headers, cookies, password rules."""

import io

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from hub.net import client_ip

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
    assert done.status_code == 302 and done["Location"] == "/admin/pages/"
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
