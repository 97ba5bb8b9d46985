"""Factories for working groups: the section, a group's page, and members-only pages."""

import datetime

import factory

import wagtail_factories

from groups.models import DraftPage, MeetingPage, WorkingGroupIndexPage, WorkingGroupPage


class WorkingGroupIndexPageFactory(wagtail_factories.PageFactory):
    """The working groups section; give it ``parent`` (the home page)."""

    title = "Working groups"
    slug = "working-groups"
    introduction = "Partners working together."

    class Meta:
        model = WorkingGroupIndexPage


class WorkingGroupPageFactory(wagtail_factories.PageFactory):
    """A working group's public summary; give it ``parent`` (the section). Its group comes with it."""

    title = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    summary = "A group of partners working on a guideline."
    how_to_join = "Partner members may ask to join."

    class Meta:
        model = WorkingGroupPage


class MeetingPageFactory(wagtail_factories.PageFactory):
    """A meeting; give it ``parent`` (a members' area)."""

    title = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=14))
    start_time = datetime.time(15, 0)
    end_time = datetime.time(16, 30)

    class Meta:
        model = MeetingPage


class DraftPageFactory(wagtail_factories.PageFactory):
    """A draft; give it ``parent`` (a members' area)."""

    title = factory.Sequence(lambda n: f"Draft {n}")
    slug = factory.Sequence(lambda n: f"draft-{n}")
    summary = "A draft guideline."

    class Meta:
        model = DraftPage
