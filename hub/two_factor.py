"""Two-factor sign-in (TOTP, with django-otp) for every Wagtail admin user.

Once signed in with a password, an admin user must either set up an authenticator app (first
time) or enter its current code before any other admin page opens. Lost devices are reset by
another administrator with ``manage.py reset_two_factor <username>``.
"""

import io
from urllib.parse import quote

import django_otp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

TOO_FAST = _("Too many attempts in a row: wait a few seconds, then enter the newest code.")
ALLOWED_PREFIXES = ("/admin/login/", "/admin/logout/", "/admin/2fa/", "/admin/jsi18n/", "/admin/sprite")


class AdminTwoFactorMiddleware:
    """Send signed-in admin users who have not passed the second factor to set-up or verification."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            getattr(settings, "HUB_ADMIN_2FA_REQUIRED", False)
            and request.path.startswith("/admin/")
            and not request.path.startswith(ALLOWED_PREFIXES)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
        ):
            view = "hub_2fa_verify" if django_otp.user_has_device(user) else "hub_2fa_setup"
            return redirect(f"{reverse(view)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app."""

    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TwoFactorStepView(FormView):
    """Shared behaviour of the set-up and verification steps."""

    form_class = TokenForm

    def next_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure()):
            return target
        return reverse("wagtailadmin_home")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class SetupView(TwoFactorStepView):
    """First sign-in: show a QR code and key for an authenticator app, then confirm one code."""

    template_name = "hub/two_factor/setup.html"

    def dispatch(self, request, *args, **kwargs):
        if django_otp.user_has_device(request.user):
            return redirect(f"{reverse('hub_2fa_verify')}?next={quote(self.next_url())}")
        self.device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        svg = io.BytesIO()
        write_qrcode_image(self.device.config_url, svg)
        secret = self.device.config_url.split("secret=")[1].split("&")[0]
        return super().get_context_data(
            qr_svg=svg.getvalue().decode(),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            **kwargs,
        )

    def form_valid(self, form):
        allowed, _info = self.device.verify_is_allowed()
        if not allowed:
            form.add_error("token", TOO_FAST)
            return self.form_invalid(form)
        if not self.device.verify_token(form.cleaned_data["token"].strip()):
            form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
            return self.form_invalid(form)
        self.device.confirmed = True
        self.device.save(update_fields=["confirmed"])
        django_otp.login(self.request, self.device)
        return redirect(self.next_url())


class VerifyView(TwoFactorStepView):
    """Every sign-in: ask for the current code."""

    template_name = "hub/two_factor/verify.html"

    def form_valid(self, form):
        device = django_otp.match_token(self.request.user, form.cleaned_data["token"].strip())
        if device is None:
            form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        return redirect(self.next_url())
