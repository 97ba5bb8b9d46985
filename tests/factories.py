"""Factories for every page type and snippet (wagtail-factories / factory_boy)."""

import factory

import wagtail_factories

from home.models import HomePage, StandardPage
from partners.models import PartnerIndexPage, PartnerPage, PartnerType, Person


class HomePageFactory(wagtail_factories.PageFactory):
    """A home page; give it ``parent`` (usually the tree root)."""

    title = "Home"
    slug = factory.Sequence(lambda n: f"home-{n}")
    hero_heading = "Let's make smart cities cyber-safe"
    hero_text = "Cities, vendors and researchers working together."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    """A standard content page."""

    title = factory.Sequence(lambda n: f"Standard page {n}")
    slug = factory.Sequence(lambda n: f"standard-{n}")
    introduction = "An introduction."

    class Meta:
        model = StandardPage


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
