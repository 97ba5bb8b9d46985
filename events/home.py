"""The events app's section of the home page: the next events in the visitor's language (``hub.registry``)."""

from django.template.loader import render_to_string

from wagtail.models import Locale

from .models import EventIndexPage

HOME_EVENTS = 3


def home_events(request):
    """The next upcoming events of the visitor's language (untranslated ones marked); a fixed number of queries."""
    index = EventIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    events = list(index.events().upcoming().for_listing()[:HOME_EVENTS]) if index is not None else []
    context = {"request": request, "events": events, "index_page": index}
    return render_to_string("events/includes/home_events.html", context)
