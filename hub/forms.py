"""Shared building blocks of the public forms: spam traps without third parties, and input rules.

``SpamTrapForm`` is the one defence of every public form that stores something (the join form,
event registration): a honeypot field that people never see and a signed timestamp of when the
form was shown. The two checks have different answers, kept apart on purpose: a filled honeypot is
a robot (a neutral answer, nothing stored), while a form sent back too fast, or with its timestamp
missing, forged or expired, may be a fast person (autofill): it is shown again with what was typed,
a fresh timestamp and a request to check and send it again, never a silent fake success. ``SingleLineField`` and ``MultiLineField`` apply the join form's input rules
(``hub.validators``): a line break in a name would end up in a mail header or a CSV row.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from hub.validators import validate_multi_line, validate_single_line

HONEYPOT_FIELD = "homepage"
STARTED_MAX_AGE = 24 * 60 * 60


class SingleLineField(forms.CharField):
    """A one-line text field: surrounding spaces trimmed, line breaks and control characters refused."""

    default_validators = [validate_single_line]


class MultiLineField(forms.CharField):
    """A text area: line breaks allowed, other control characters refused."""

    default_validators = [validate_multi_line]
    widget = forms.Textarea


class HoneypotMixin:
    """A form field people never see (``honeypot_field``); a robot fills it in. The one honeypot
    check of every public form (the subscription form has only this trap, ``SpamTrapForm`` adds a
    minimum fill time)."""

    honeypot_field = HONEYPOT_FIELD

    def is_honeypot_hit(self):
        """True when the field people never see was filled in: a robot."""
        return bool(str(self.data.get(self.honeypot_field, "")).strip())


class SpamTrapForm(HoneypotMixin, forms.Form):
    """A form with a honeypot and a signed start time. Subclasses set ``spam_salt``.

    A view checks, before ``is_valid()``: ``is_honeypot_hit()`` (answer neutrally, store nothing),
    then ``needs_confirmation()`` (show ``restarted()`` with a request to send it again). The
    minimum fill time is the setting named by ``min_seconds_setting`` (default
    ``default_min_seconds``).
    """

    spam_salt = "hub.forms.started"
    min_seconds_setting = "HUB_FORM_MIN_SECONDS"
    default_min_seconds = 3

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = self.sign_started()

    @classmethod
    def sign_started(cls, moment=None):
        """A tamper-proof record of when the form was shown."""
        return signing.dumps(moment if moment is not None else time.time(), salt=cls.spam_salt)

    @classmethod
    def min_seconds(cls):
        """Fewer seconds than this between showing and sending the form asks the sender to confirm."""
        return getattr(settings, cls.min_seconds_setting, cls.default_min_seconds)

    def needs_confirmation(self):
        """True when the form came back too fast, or its signed timestamp is missing, forged or expired.

        The sender is asked to check the form and send it again (with a fresh timestamp): a person
        who is fast (autofill) can; a robot replaying the form learns nothing useful.
        """
        try:
            started = float(signing.loads(str(self.data.get("started", "")), salt=self.spam_salt, max_age=STARTED_MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - started < self.min_seconds()

    def restarted(self, **kwargs):
        """The same submission with a fresh timestamp, to show again for confirmation.

        ``kwargs`` are the form's own constructor arguments (a registration form's questions).
        """
        data = self.data.copy()
        data["started"] = self.sign_started()
        return type(self)(data, **kwargs)
