"""Factories for partner organisations and people."""

import factory

import wagtail_factories

from partners.models import (
    ContributorsPage,
    JoinPage,
    MembershipApplication,
    PartnerIndexPage,
    PartnerPage,
    PartnerType,
    Person,
)


class PartnerIndexPageFactory(wagtail_factories.PageFactory):
    """The partner directory."""

    title = "Partners"
    slug = "partners"

    class Meta:
        model = PartnerIndexPage


class PartnerPageFactory(wagtail_factories.PageFactory):
    """A partner organisation profile."""

    title = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    partner_type = PartnerType.SECURITY_RESEARCH
    country = "ES"
    summary = "An organisation working on smart city security."

    class Meta:
        model = PartnerPage


class PersonFactory(factory.django.DjangoModelFactory):
    """A contributor."""

    name = factory.Sequence(lambda n: f"Person {n}")
    role = "Security researcher"

    class Meta:
        model = Person


class ContributorsPageFactory(wagtail_factories.PageFactory):
    """The contributors page."""

    title = "Contributors"
    slug = "contributors"

    class Meta:
        model = ContributorsPage


class JoinPageFactory(wagtail_factories.PageFactory):
    """The join page."""

    title = "Join"
    slug = "join"
    introduction = "Tell us about your organisation."

    class Meta:
        model = JoinPage


class MembershipApplicationFactory(factory.django.DjangoModelFactory):
    """A membership application as the join form stores it."""

    organisation = factory.Sequence(lambda n: f"Applicant {n}")
    partner_type = PartnerType.CITY_AUTHORITY
    country = "FR"
    contact_name = "Ada Applicant"
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    message = "We run the city's traffic lights."
    consent = True

    class Meta:
        model = MembershipApplication
