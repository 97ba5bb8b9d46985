"""Wagtail hooks for events: private calendars, and a listing of every event for editors."""

from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column, LocaleColumn
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.viewsets.pages import PageListingViewSet

from .models import EventPage


def local_start(page):
    """The start as the event's own clock shows it, e.g. "Jan. 15, 2027, 9 a.m." (Europe/Madrid)."""
    if not page.start:
        return ""
    try:
        zone = ZoneInfo(page.timezone)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return date_format(page.start.astimezone(zone), "DATETIME_FORMAT")


class EventListingViewSet(PageListingViewSet):
    """"Events" in the admin menu: every event in every language, latest start first, with its format,
    start, language, whether it goes ahead and its publishing status. Partners see only their own (the
    page permission policy, partners.isolation)."""

    model = EventPage
    name = "event_listing"
    icon = "date"
    menu_label = _("Events")
    menu_order = 130
    add_to_admin_menu = True
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label=_("Title"), sort_key="title", classname="title"),
        Column("event_format", label=_("Format"), accessor="get_event_format_display", sort_key="event_format"),
        Column("start", label=_("Start"), accessor=local_start, sort_key="start", width="18%"),
        LocaleColumn(label=_("Language"), width="10%"),
        Column("event_status", label=_("Event"), accessor="get_status_display", sort_key="status", width="10%"),
        PageStatusColumn("status", label=_("Status"), sort_key="live", width="12%"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(default_ordering="-start", **kwargs)


@hooks.register("register_admin_viewset")
def register_event_listing():
    return EventListingViewSet()


@hooks.register("before_serve_page", order=-10)
def private_event_calendars_are_not_found(page, request, serve_args, serve_kwargs):
    """A calendar file of a private event is a 404, not a login page that confirms it exists.

    Runs before Wagtail's own view-restriction check, which would otherwise answer first.
    """
    if isinstance(page, EventPage) and request.path.endswith(".ics") and page.get_view_restrictions().exists():
        raise Http404
