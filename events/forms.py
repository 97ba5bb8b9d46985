"""The event editing form: editors enter local times in the event's own zone; we store UTC."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import AdminDateTimeInput

from hub.page_forms import BasePageForm

from .choices import EventFormat
from .timezones import local_to_utc, timezone_choices


class LocalDateTimeField(forms.DateTimeField):
    """A date and time with no zone attached: it is read in the event's zone, not the editor's."""

    widget = AdminDateTimeInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        try:
            result = parse_datetime(str(value).strip())
        except ValueError:
            result = None
        if result is None:
            # strptime with the field's input formats; raises the "Enter a valid date/time" error.
            result = BaseTemporalField.to_python(self, value)
        return result.replace(tzinfo=None)

    def prepare_value(self, value):
        return value


class EventPageForm(BasePageForm):
    """Shows start, end and registration deadline as local times and converts them with zoneinfo."""

    # (form field, model field, required)
    LOCAL_FIELDS = (
        ("start_local", "start"),
        ("end_local", "end"),
        ("registration_deadline_local", "registration_deadline"),
    )

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        initial="UTC",
        help_text=_("Where the event takes place; start, end and deadline are read in this zone."),
    )
    start_local = LocalDateTimeField(label=_("Starts (local time)"))
    end_local = LocalDateTimeField(label=_("Ends (local time)"))
    registration_deadline_local = LocalDateTimeField(label=_("Registration deadline (local time)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.timezone and instance.start is not None:
            zone = instance.zone
            for form_field, model_field in self.LOCAL_FIELDS:
                value = getattr(instance, model_field)
                if value is not None:
                    self.initial.setdefault(form_field, value.astimezone(zone).replace(tzinfo=None, fold=0))

    def clean(self):
        cleaned_data = super().clean()
        zone_name = cleaned_data.get("timezone")
        converted = {}
        if zone_name:
            for form_field, model_field in self.LOCAL_FIELDS:
                value = cleaned_data.get(form_field)
                if value is None:
                    converted[model_field] = None
                    continue
                try:
                    converted[model_field] = local_to_utc(value, zone_name)
                except ValidationError as error:
                    self.add_error(form_field, error)

        start, end, deadline = (converted.get(name) for name in ("start", "end", "registration_deadline"))
        if start and end and end <= start:
            self.add_error("end_local", _("The event must end after it starts."))
        if deadline and end and deadline > end:
            self.add_error("registration_deadline_local", _("The registration deadline must not be after the end."))

        event_format = cleaned_data.get("event_format")
        if event_format in (EventFormat.ONLINE, EventFormat.HYBRID) and not cleaned_data.get("online_url"):
            self.add_error("online_url", _("An online or hybrid event needs an online link."))
        if event_format in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not cleaned_data.get("venue_name"):
            self.add_error("venue_name", _("An in-person or hybrid event needs a venue."))

        for model_field, value in converted.items():
            if model_field in ("start", "end") and value is None:
                continue
            setattr(self.instance, model_field, value)
        return cleaned_data
