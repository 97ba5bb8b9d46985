"""Admin integration: the Registrations menu item, and the counts beside each event in page listings."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale

from events.models import EventPage

from .choices import HOLDING, RegistrationStatus
from .models import Registration, RegistrationSettings
from .permissions import can_manage, may_open_registrations


class RegistrationsMenuItem(MenuItem):
    """Shown to the Board and to partner users (who see the events of their organisation)."""

    def is_shown(self, request):
        return may_open_registrations(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RegistrationsMenuItem(
        gettext_lazy("Registrations"), reverse("registrations_events"), icon_name="group", order=270
    )


@hooks.register("register_page_listing_buttons")
def registration_counts_button(page, user, next_url=None, **kwargs):
    """"Registrations 12/20 (3 waiting)" beside an event that takes registrations, for its organisers."""
    if not issubclass(page.specific_class or object, EventPage):
        return
    settings = (
        RegistrationSettings.objects.filter(page__translation_key=page.translation_key, page__locale=Locale.get_default())
        .select_related("page")
        .first()
    )
    if settings is None or not can_manage(user, settings.page):
        return
    counts = Registration.objects.filter(event=settings.page).counts()
    seated = sum(counts[status] for status in HOLDING)
    label = _("Registrations %(seated)s/%(capacity)s") % {
        "seated": seated,
        "capacity": settings.capacity if settings.capacity is not None else "∞",
    }
    if counts[RegistrationStatus.WAITING]:
        label += " " + _("(%(waiting)s waiting)") % {"waiting": counts[RegistrationStatus.WAITING]}
    yield Button(label, reverse("registrations_report", args=[settings.page.pk]), icon_name="group", priority=40)
