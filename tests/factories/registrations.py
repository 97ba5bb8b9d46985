"""Factories for registration settings and registrations."""

import factory

from registrations.choices import RegistrationStatus
from registrations.models import Registration, RegistrationSettings


class RegistrationSettingsFactory(factory.django.DjangoModelFactory):
    """Registration on this site for ``page`` (an event): 20 seats, a waiting list."""

    capacity = 20
    waiting_list = True

    class Meta:
        model = RegistrationSettings


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration for ``event``."""

    status = RegistrationStatus.CONFIRMED
    name = factory.Sequence(lambda n: f"Attendee {n}")
    email = factory.Sequence(lambda n: f"attendee{n}@example.org")
    organisation = "City of Example"
    language = "en"
    consent_text = "I agree."
    consent_version = "2025-1"

    class Meta:
        model = Registration
