"""Wagtail hooks for events."""

from django.http import Http404

from wagtail import hooks

from .models import EventPage


@hooks.register("before_serve_page", order=-10)
def private_event_calendars_are_not_found(page, request, serve_args, serve_kwargs):
    """A calendar file of a private event is a 404, not a login page that confirms it exists.

    Runs before Wagtail's own view-restriction check, which would otherwise answer first.
    """
    if isinstance(page, EventPage) and request.path.endswith(".ics") and page.get_view_restrictions().exists():
        raise Http404
