"""Who sees registrations: the Board (``registrations.manage_registrations``, given to the Board group
by ``migrate``) and superusers for every event; a partner's users for the events their organisation
organises or proposed. Nobody else, and nothing of it on the public site."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from wagtail.models import GroupPagePermission, Locale

from events.models import EventOrganiser, EventPage
from partners.permissions import BOARD_GROUP, PARTNER_GROUP_PREFIX

MANAGE_PERMISSION = "registrations.manage_registrations"


def manages_all(user):
    return bool(user.is_active and (user.is_superuser or user.has_perm(MANAGE_PERMISSION)))


def _partner_groups(user):
    return Group.objects.filter(user=user, name__startswith=PARTNER_GROUP_PREFIX)


def _partner_keys(user):
    """Translation keys of the partner profiles the user's partner groups may edit."""
    return GroupPagePermission.objects.filter(
        group__in=_partner_groups(user), permission__codename="change_page"
    ).values("page__translation_key")


def _partner_events(user):
    """Q for the events the user's organisation organises, or that a user of it proposed (owns)."""
    organised = EventOrganiser.objects.filter(partner__translation_key__in=_partner_keys(user)).values("page_id")
    return Q(pk__in=organised) | Q(owner__groups__in=_partner_groups(user))


def manageable_events(user):
    """Default-language events with registration settings whose registrations ``user`` may see."""
    events = EventPage.objects.filter(locale=Locale.get_default(), registration_settings__isnull=False).distinct()
    if not (user.is_authenticated and user.is_active):
        return events.none()
    if manages_all(user):
        return events
    return events.filter(_partner_events(user)).distinct()


def manageable_event_ids(user):
    """The ids of ``manageable_events(user)`` as a subquery (for annotating a listing once)."""
    return manageable_events(user).values("pk")


def can_manage(user, event):
    """May ``user`` see and change the registrations of ``event`` (a default-language page)?"""
    if not (user.is_authenticated and user.is_active):
        return False
    if manages_all(user):
        return True
    return EventPage.objects.filter(pk=event.pk).filter(_partner_events(user)).exists()


def may_open_registrations(user):
    """Show the Registrations menu: to the Board, and to partner users (who see their own events)."""
    return manages_all(user) or _partner_groups(user).exists()


def give_board_permission(**kwargs):
    """permissions_ready: the Board manages the registrations of every event (idempotent)."""
    board = Group.objects.filter(name=BOARD_GROUP).first()
    permission = Permission.objects.filter(
        content_type__app_label="registrations", codename="manage_registrations"
    ).first()
    if board is not None and permission is not None:
        board.permissions.add(permission)
