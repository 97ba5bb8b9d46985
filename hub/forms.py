"""Shared building blocks of the public forms: spam traps without third parties, and input rules.

``SpamTrapForm`` is the join form's defence made reusable: a honeypot field that people never see
and a signed timestamp of when the form was shown, refused when it comes back too fast, missing
or forged. ``SingleLineField`` and ``MultiLineField`` apply the join form's input rules
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


class SpamTrapForm(forms.Form):
    """A form with a honeypot and a signed start time. Subclasses set ``spam_salt``.

    ``looks_like_spam()`` is checked before ``is_valid()``; what to answer a robot is the view's
    choice. The minimum fill time is ``settings.HUB_FORM_MIN_SECONDS`` (default 3).
    """

    spam_salt = "hub.forms.started"

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

    @staticmethod
    def min_seconds():
        return getattr(settings, "HUB_FORM_MIN_SECONDS", 3)

    def looks_like_spam(self):
        """True when the honeypot is filled, the timestamp is missing or forged, or the form came back too fast."""
        if str(self.data.get(HONEYPOT_FIELD, "")).strip():
            return True
        try:
            started = float(signing.loads(str(self.data.get("started", "")), salt=self.spam_salt, max_age=STARTED_MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            return True
        return time.time() - started < self.min_seconds()
