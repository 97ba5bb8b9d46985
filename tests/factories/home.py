"""Factories for the home page and standard pages."""

import factory

import wagtail_factories

from home.models import HomePage, StandardPage


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
