"""The public registration form, and the form a registrant uses to change their details.

The same input rules as the join form (``hub.forms``): one-line fields refuse control characters,
lengths are bounded, the address is checked; plus its spam traps (honeypot, minimum fill time).
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hub.forms import MultiLineField, SingleLineField, SpamTrapForm

from .choices import AccessNeed
from .models import QuestionKind

# Raise it when the wording of the consent below changes: each registration records the version
# and the exact text the person agreed to.
CONSENT_VERSION = "2025-1"
MAX_ANSWER = 1000


def retention_text():
    """What the privacy rules keep and for how long (settings: ``HUB_REGISTRATION_RETENTION``)."""
    answers, anonymise = retention_days()
    return gettext(
        "Your accessibility answers are deleted %(answers)s days after the event; your registration is "
        "anonymised %(anonymise)s days after it."
    ) % {"answers": answers, "anonymise": anonymise}


def retention_days():
    """``(days after the event to delete accessibility answers, days after it to anonymise)``."""
    rules = getattr(settings, "HUB_REGISTRATION_RETENTION", {})
    return rules.get("access_days", 30), rules.get("anonymise_days", 365)


class AttendeeFields(forms.Form):
    """What a registrant tells about themselves (registering, or changing it later)."""

    name = SingleLineField(label=_("Your name"), max_length=120)
    organisation = SingleLineField(label=_("Organisation"), max_length=200, required=False)
    access_needs = forms.MultipleChoiceField(
        label=_("Accessibility needs"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. Tell us what would help you take part."),
    )
    access_notes = MultiLineField(
        label=_("Anything else we should know to make the event accessible to you?"),
        required=False,
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    list_publicly = forms.BooleanField(
        label=_("Show my name and organisation in the public list of participants."), required=False
    )

    def __init__(self, *args, public_list=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        if not public_list:
            del self.fields["list_publicly"]


class RegistrationForm(SpamTrapForm, AttendeeFields):
    """Registering for an event: who you are, the event's questions, accessibility, consent."""

    spam_salt = "registrations.register.started"

    email = forms.EmailField(label=_("Email"), max_length=254)
    consent = forms.BooleanField(label="")

    field_order = ["name", "email", "organisation"]

    def __init__(self, *args, questions=(), public_list=False, **kwargs):
        super().__init__(*args, public_list=public_list, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.questions = []
        for block in questions:
            if block.block_type != "question":
                continue
            name = f"question_{block.id}"
            self.fields[name] = self._question_field(block.value)
            self.questions.append((name, block.value["label"]))
        self.fields["consent"].label = self.consent_text()
        self.fields["consent"].help_text = retention_text()
        order = ["name", "email", "organisation", *[name for name, _label in self.questions], "access_needs"]
        order += ["access_notes", "list_publicly", "consent"]
        self.order_fields(order)

    @staticmethod
    def consent_text():
        return gettext(
            "I agree that the organisers store these details to manage my registration and write to me about this event."
        )

    @staticmethod
    def _question_field(question):
        common = {"label": question["label"], "required": bool(question["required"]), "help_text": question["help_text"]}
        choices = [(choice, choice) for choice in question["choices"] if choice]
        kind = question["kind"]
        if kind == QuestionKind.CHOICE and choices:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if kind == QuestionKind.CHOICES and choices:
            return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        if kind == QuestionKind.LONG_TEXT:
            return MultiLineField(max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 3}), **common)
        return SingleLineField(max_length=200, **common)

    def visible(self):
        """The fields a person fills in, in order (the spam traps aside)."""
        return [field for field in self if field.name not in ("homepage", "started")]

    def registration_fields(self, language):
        """The Registration's own fields from the cleaned data."""
        data = self.cleaned_data
        answers = []
        for name, label in self.questions:
            value = data.get(name)
            if isinstance(value, list):
                value = ", ".join(value)
            answers.append({"question": label, "answer": value or ""})
        consents = [self.consent_text()]
        if data.get("list_publicly"):
            consents.append(str(self.fields["list_publicly"].label))
        return {
            "name": data["name"],
            "email": data["email"],
            "organisation": data.get("organisation", ""),
            "language": language,
            "answers": answers,
            "access_needs": data.get("access_needs", []),
            "access_notes": data.get("access_notes", ""),
            "consent_text": "\n".join(consents),
            "consent_version": CONSENT_VERSION,
            "list_publicly": bool(data.get("list_publicly")),
        }


class ChangeForm(AttendeeFields):
    """A registrant changes their details from their signed link."""


class MessageForm(forms.Form):
    """An organiser writes to every attendee of an event."""

    RECIPIENTS = [
        ("confirmed", _("Confirmed attendees")),
        ("waiting", _("Everyone on the waiting list")),
        ("active", _("Everyone registered (confirmed, pending, offered, waiting)")),
    ]

    recipients = forms.ChoiceField(label=_("To"), choices=RECIPIENTS, initial="confirmed")
    subject = SingleLineField(label=_("Subject"), max_length=150)
    body = MultiLineField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}), max_length=10000)
