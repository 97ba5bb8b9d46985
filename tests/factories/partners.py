"""Factories for partner organisations and people."""

import factory

import wagtail_factories

from partners.models import PartnerIndexPage, PartnerPage, PartnerType, Person


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
