"""The subscription and preference forms."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hub.forms import HoneypotMixin
from hub.labels import topic_labels
from hub.models import Topic

from .choices import Frequency

# The consent a subscriber gives, as shown next to the checkbox. Change the version with the text:
# each subscriber's consent record keeps the version (and the text) they agreed to.
CONSENT_VERSION = "2026-12"
CONSENT_TEXT = _(
    "Send me the digest of the topics I chose by email. I can change my topics or unsubscribe at any time "
    "with the link in every message."
)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    """Topics as checkboxes, labelled in the visitor's language."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, topic):
        return topic_labels(translation.get_language()).get(topic.pk) or topic.name


class PreferencesForm(forms.Form):
    """Language, topics and frequency (also the second half of the subscription form)."""

    language = forms.ChoiceField(label=_("Language of the digest"), choices=settings.LANGUAGES)
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.order_by("name"),
        error_messages={"required": _("Choose at least one topic.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.WEEKLY, widget=forms.RadioSelect
    )


class SubscribeForm(HoneypotMixin, PreferencesForm):
    """Address, preferences and consent; nothing is stored until the mailed link is used."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    consent = forms.BooleanField(label=CONSENT_TEXT)
    # A field humans never see; robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["email", "language", "topics", "frequency", "consent", "website"]
    honeypot_field = "website"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
