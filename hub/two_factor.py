"""Two-factor sign-in (TOTP, with django-otp) for every Wagtail admin user.

Once signed in with a password, an admin user must either set up an authenticator app (first
time) or enter its current code before any other admin page opens. Setting up the app also
makes ten single-use recovery codes (django-otp's static device), shown once: a user who lost
their phone signs in with one, then sets up the app again. The codes can be renewed from the
account page. An operator can still remove every device with ``manage.py reset_two_factor``.
"""

import io
from urllib.parse import quote

import django_otp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

TOO_FAST = _("Too many attempts in a row: wait a few seconds, then enter the newest code.")
ALLOWED_PREFIXES = ("/admin/login/", "/admin/logout/", "/admin/2fa/", "/admin/jsi18n/", "/admin/sprite")
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
NEW_CODES_SESSION_KEY = "hub_2fa_new_recovery_codes"


def has_confirmed_device(user):
    """True when ``user`` has a second factor of any kind (app or recovery codes)."""
    return django_otp.user_has_device(user, confirmed=True)


def has_authenticator(user):
    """True when ``user`` has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def new_recovery_codes(user):
    """Replace ``user``'s recovery codes with ``RECOVERY_CODE_COUNT`` new ones; return them.

    Each code is 8 random base32 characters (40 bits), single-use (django-otp deletes a code when
    it is used) and throttled like the app's codes, so guessing one is not practical.
    """
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user):
    """How many unused recovery codes ``user`` has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


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
            # Anyone with a second factor (app or recovery codes) must pass it; only an account with
            # none may set one up after the password alone (the first sign-in, or after a reset).
            view = "hub_2fa_verify" if has_confirmed_device(user) else "hub_2fa_setup"
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


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes shown when two-factor sign-in was set up."""

    code = forms.CharField(
        label=_("Recovery code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "autofocus": True}),
    )

    def clean_code(self):
        # Codes are shown in lower case; accept them typed with capitals, spaces or hyphens.
        return "".join(character for character in self.cleaned_data["code"].lower() if character.isalnum())


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
        # A user who has a second factor sets up a new app only after passing it (for instance with a
        # recovery code, having lost the phone); otherwise the password alone would replace the phone.
        if has_authenticator(request.user) or (has_confirmed_device(request.user) and not request.user.is_verified()):
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
        # The recovery codes are shown once, on the next page.
        self.request.session[NEW_CODES_SESSION_KEY] = new_recovery_codes(self.request.user)
        return redirect(f"{reverse('hub_2fa_recovery_codes')}?next={quote(self.next_url())}")


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


class RecoverView(TwoFactorStepView):
    """Sign in with a recovery code instead of the app's code (each code works once)."""

    template_name = "hub/two_factor/recover.html"
    form_class = RecoveryCodeForm

    def form_valid(self, form):
        device = StaticDevice.objects.filter(user=self.request.user, confirmed=True).first()
        if device is not None:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                form.add_error("code", TOO_FAST)
                return self.form_invalid(form)
        if device is None or not device.verify_token(form.cleaned_data["code"]):
            form.add_error("code", _("That recovery code is not valid, or it has been used already."))
            return self.form_invalid(form)
        django_otp.login(self.request, device)
        left = remaining_recovery_codes(self.request.user)
        messages.warning(
            self.request,
            ngettext(
                "You signed in with a recovery code; %(count)d code is left. If you lost your phone, set up "
                "the authenticator app again and make new recovery codes on the two-factor page of your account.",
                "You signed in with a recovery code; %(count)d codes are left. If you lost your phone, set up "
                "the authenticator app again and make new recovery codes on the two-factor page of your account.",
                left,
            )
            % {"count": left},
        )
        return redirect(self.next_url())


class RecoveryCodesView(TemplateView):
    """The two-factor page of the account: new recovery codes, and replacing the authenticator app.

    New codes are shown once (right after set-up, or after asking for new ones, which cancels the
    old ones). Only a session that passed the second factor gets here.
    """

    template_name = "hub/two_factor/recovery_codes.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_verified():
            view = "hub_2fa_verify" if has_confirmed_device(request.user) else "hub_2fa_setup"
            return redirect(f"{reverse(view)}?next={quote(request.get_full_path())}")
        return super().dispatch(request, *args, **kwargs)

    def next_url(self):
        return TwoFactorStepView.next_url(self)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "replace-app":
            # The session passed the second factor: let the user pair a new phone.
            TOTPDevice.objects.filter(user=request.user).delete()
            return redirect(f"{reverse('hub_2fa_setup')}?next={quote(reverse('hub_2fa_recovery_codes'))}")
        request.session[NEW_CODES_SESSION_KEY] = new_recovery_codes(request.user)
        return redirect(request.get_full_path())

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            codes=self.request.session.pop(NEW_CODES_SESSION_KEY, None),
            remaining=remaining_recovery_codes(self.request.user),
            has_authenticator=has_authenticator(self.request.user),
            next=self.next_url(),
            **kwargs,
        )
