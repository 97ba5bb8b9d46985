"""The membership application form and its spam defences: honeypot, minimum fill time, rate limit.

Only a filled honeypot (a field people never see) gets the neutral thank-you without storing
anything. A form sent back faster than a person could fill it, or with its signed timestamp missing
or expired, is shown again with what was typed and a sentence asking to check it and send it again:
a fast human (autofill) is told, never sent a fake success, and a robot learns nothing useful.

No third-party service is involved: the fill time travels in a signed timestamp, the rate limit
counts submissions per address with the hub's one rate limiter (``hub.ratelimit``, scope "join").
The traps are ``hub.forms.SpamTrapForm``, shared with event registration.
"""

from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from hub import ratelimit
from hub.forms import SpamTrapForm
from hub.models import SiteSettings
from hub.tasks import send_email
from hub.validators import one_line, validate_multi_line, validate_single_line

from .choices import PartnerType


def rate_limit():
    """(submissions, seconds) allowed per address: ``settings.HUB_RATE_LIMITS["join"]``."""
    return ratelimit.limit_for("join")


class JoinForm(SpamTrapForm):
    """What an organisation tells the board when it applies to join (with the shared spam traps)."""

    spam_salt = "partners.join.started"
    min_seconds_setting = "PARTNERS_JOIN_MIN_SECONDS"
    default_min_seconds = 2

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    # No type is preselected: the applicant chooses one (the empty choice is refused).
    partner_type = forms.ChoiceField(label=_("Type of organisation"), choices=PartnerType.choices)
    country = LazyTypedChoiceField(
        label=_("Country"), choices=countries, widget=forms.Select(attrs={"autocomplete": "country"})
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        max_length=200,
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    role = forms.CharField(
        label=_("Your role or title"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    message = forms.CharField(
        label=_("How would you like to contribute?"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        max_length=5000,
        validators=[validate_multi_line],
    )
    consent = forms.BooleanField(
        label=_("I agree that the initiative stores these details to handle my application."),
        help_text=_("Declined applications are deleted after 180 days."),
    )
    visible_field_names = [
        "organisation",
        "partner_type",
        "country",
        "website",
        "contact_name",
        "email",
        "role",
        "message",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_type"].choices = [("", _("Choose a type")), *PartnerType.choices]
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        for name in self.errors if self.is_bound else ():
            if name in self.fields:
                # Screen readers announce the field as invalid and read its error (and help) with it.
                auto_id = self[name].auto_id
                described = f"{auto_id}_error" + (f" {auto_id}_helptext" if self.fields[name].help_text else "")
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": described})

    def visible(self):
        """The fields a person fills in, in order."""
        return [self[name] for name in self.visible_field_names]


def over_rate_limit(request):
    """Count this submission; True when the address has sent more than the limit in the window."""
    return not ratelimit.hit("join", ratelimit.client_address(request))


def notify_board(application, request):
    """Tell the board (address in site settings) that an application arrived."""
    site_settings = SiteSettings.for_request(request)
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "membership_applications:edit", args=[application.pk]
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            f"{application._meta.get_field(name).verbose_name}: {value}"
            for name, value in [
                ("organisation", application.organisation),
                ("partner_type", application.get_partner_type_display()),
                ("country", application.country.name),
                ("website", application.website),
                ("contact_name", application.contact_name),
                ("email", application.email),
                ("role", application.role),
                ("message", application.message),
            ]
        ]
        subject = translation.gettext("New membership application")
        send_email.enqueue(
            to=[site_settings.board_email],
            # One line whatever is stored: a line break in a subject makes the mail fail in the worker.
            subject=one_line(f"[Securing Smart Cities] {subject}: {application.organisation}"),
            body="\n".join([*lines, "", str(admin_url)]),
            reply_to=[application.email],
        )


def serve_join_page(page, request, *args, **kwargs):
    """GET shows the form; POST checks rate, spam and fields, stores the application and mails the board.

    A honeypot hit gets the same neutral thank-you as a real application (nothing stored); a form
    sent too fast is shown again with a request to confirm (see ``JoinForm.needs_confirmation``).
    """
    thanks_url = page.get_url(request) + "?sent=1"
    if request.method == "POST":
        if over_rate_limit(request):
            response = TemplateResponse(
                request,
                "partners/join_rate_limited.html",
                page.get_context(request, *args, **kwargs),
                status=429,
            )
            response["Retry-After"] = str(rate_limit()[1])
            add_never_cache_headers(response)
            return response
        form = JoinForm(request.POST)
        confirm = False
        if form.is_honeypot_hit():
            return HttpResponseRedirect(thanks_url)
        if form.needs_confirmation():
            form, confirm = form.restarted(), True
        elif form.is_valid():
            data = {name: form.cleaned_data[name] for name in JoinForm.visible_field_names}
            application = page.create_application(**data, language=translation.get_language())
            notify_board(application, request)
            return HttpResponseRedirect(thanks_url)
    else:
        form, confirm = JoinForm(), False
    context = page.get_context(request, *args, **kwargs)
    context.update({"form": form, "confirm": confirm, "sent": request.GET.get("sent") == "1"})
    response = TemplateResponse(request, page.get_template(request, *args, **kwargs), context)
    add_never_cache_headers(response)
    return response
