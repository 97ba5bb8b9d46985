"""Admin integration: the Registrations menu item, and the counts beside each event in page listings.

The counts cost a fixed number of queries per page of results, whatever its length: the listing's
queryset is annotated once (``construct_explorer_page_queryset``) with each row's registration
settings, seat counts and whether the user may see them, and the button reads the annotations.
"""

from django.db.models import BooleanField, Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
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
from .permissions import manageable_event_ids, manages_all, may_open_registrations

# The annotations a listing row carries (see ``annotate_registrations``).
EVENT, CAPACITY, SEATED, WAITING, MANAGEABLE = (
    "registrations_event",
    "registrations_capacity",
    "registrations_seated",
    "registrations_waiting",
    "registrations_manageable",
)


class RegistrationsMenuItem(MenuItem):
    """Shown to the Board and to partner users (who see the events of their organisation)."""

    def is_shown(self, request):
        return may_open_registrations(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RegistrationsMenuItem(
        gettext_lazy("Registrations"), reverse("registrations_events"), icon_name="group", order=270
    )


def _count(default_locale, statuses):
    """The number of registrations in ``statuses`` for the row's default-language event."""
    registrations = (
        Registration.objects.filter(
            event__translation_key=OuterRef("translation_key"), event__locale=default_locale, status__in=statuses
        )
        .order_by()
        .values("event")
        .annotate(number=Count("pk"))
        .values("number")[:1]
    )
    return Coalesce(Subquery(registrations, output_field=IntegerField()), 0)


def annotate_registrations(pages, user):
    """``pages`` with each row's registrations summary: the default-language event that takes them,
    its capacity, seats held, people waiting, and whether ``user`` may see them (subqueries: no
    query per row)."""
    default_locale = Locale.get_default()
    settings = RegistrationSettings.objects.filter(
        page__translation_key=OuterRef("translation_key"), page__locale=default_locale
    )
    if manages_all(user):
        manageable = Value(True, output_field=BooleanField())
    elif user.is_authenticated and user.is_active:
        manageable = Exists(manageable_event_ids(user).filter(pk=OuterRef(EVENT)))
    else:
        manageable = Value(False, output_field=BooleanField())
    return pages.annotate(
        **{
            EVENT: Subquery(settings.values("page_id")[:1]),
            CAPACITY: Subquery(settings.values("capacity")[:1]),
            SEATED: _count(default_locale, HOLDING),
            WAITING: _count(default_locale, [RegistrationStatus.WAITING]),
        }
    ).annotate(**{MANAGEABLE: manageable})  # after EVENT, which it refers to


@hooks.register("construct_explorer_page_queryset")
def annotate_listing(parent_page, pages, request):
    """Annotate the explorer's rows once, for ``registration_counts_button``."""
    if not may_open_registrations(request.user):
        return pages
    return annotate_registrations(pages, request.user)


def _summary(page, user):
    """The row's annotations; a page that did not come from an annotated listing is looked up alone."""
    if not hasattr(page, MANAGEABLE):
        if not may_open_registrations(user):
            return None
        found = annotate_registrations(type(page).objects.filter(pk=page.pk), user)
        return found.values(EVENT, CAPACITY, SEATED, WAITING, MANAGEABLE).first()
    return {name: getattr(page, name) for name in (EVENT, CAPACITY, SEATED, WAITING, MANAGEABLE)}


@hooks.register("register_page_listing_buttons")
def registration_counts_button(page, user, next_url=None, **kwargs):
    """"Registrations 12/20 (3 waiting)" beside an event that takes registrations, for its organisers."""
    if not issubclass(page.specific_class or object, EventPage):
        return
    summary = _summary(page, user)
    if not summary or summary[EVENT] is None or not summary[MANAGEABLE]:
        return
    label = _("Registrations %(seated)s/%(capacity)s") % {
        "seated": summary[SEATED],
        "capacity": summary[CAPACITY] if summary[CAPACITY] is not None else "∞",
    }
    if summary[WAITING]:
        label += " " + _("(%(waiting)s waiting)") % {"waiting": summary[WAITING]}
    yield Button(label, reverse("registrations_report", args=[summary[EVENT]]), icon_name="group", priority=40)
