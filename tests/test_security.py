"""Security model: login throttling, headers, cookies, password rules."""

import pytest

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

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
