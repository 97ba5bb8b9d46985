"""Joining and leaving a working group: requests from partner members, a chair's decision.

Membership is the Wagtail group's user list, read on every request, so a decision takes effect
at the requester's next request (no cache holds it). Mails go through the task queue. (Imported by
``groups.models`` through ``groups.views``: it reaches models through the instances it is given.)
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.tasks import send_email
from partners.permissions import PARTNER_GROUP_PREFIX

from .choices import JoinRequestStatus


class JoinError(Exception):
    """The request cannot be sent (the message says why, in the visitor's language)."""


def is_partner_member(user):
    """True for an active account in a partner organisation's group."""
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name__startswith=PARTNER_GROUP_PREFIX).exists()
    )


def partner_members():
    """Every active account in a partner organisation's group (who may be added to a working group)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__startswith=PARTNER_GROUP_PREFIX)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def display_name(user):
    return user.get_full_name() or user.get_username()


def pending_request(working_group, user):
    if not user.is_authenticated:
        return None
    return working_group.join_requests.filter(user=user, status=JoinRequestStatus.PENDING).first()


def request_to_join(working_group, user, message="", page=None):
    """Record ``user``'s request to join and tell the chairs. Returns the request."""
    if not is_partner_member(user):
        raise JoinError(_("Only members of partner organisations can ask to join a working group."))
    if working_group.is_member(user):
        raise JoinError(_("You are already a member of this group."))
    try:
        with transaction.atomic():
            join_request = working_group.join_requests.create(
                user=user,
                message=message.strip(),
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
    except IntegrityError:
        return pending_request(working_group, user)
    recipients = working_group.chair_emails()
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            send_email.enqueue(
                to=recipients,
                subject=_("Join request for %(group)s") % {"group": working_group.name},
                body=_(
                    "%(name)s asks to join the working group %(group)s.\n\n%(message)s\n\n"
                    "Approve or decline it in the admin: %(url)s"
                )
                % {
                    "name": display_name(user),
                    "group": working_group.name,
                    "message": join_request.message or "",
                    "url": admin_members_url(working_group),
                },
            )
    return join_request


def admin_members_url(working_group):
    """Absolute address of the group's members screen in the admin."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/admin/working-groups/members/{working_group.pk}/"


def _notify(join_request, approved, page_url=""):
    user = join_request.user
    if not user.email:
        return
    with translation.override(join_request.language or settings.LANGUAGE_CODE):
        if approved:
            subject = _("Welcome to %(group)s") % {"group": join_request.working_group.name}
            message = _("Your request to join %(group)s was approved. The members' area: %(url)s") % {
                "group": join_request.working_group.name,
                "url": page_url,
            }
        else:
            subject = _("Your request to join %(group)s") % {"group": join_request.working_group.name}
            message = _("A chair of %(group)s declined your request to join.") % {
                "group": join_request.working_group.name
            }
        send_email.enqueue(to=user.email, subject=str(subject), body=str(message))


def _members_area_url(working_group, language):
    page = working_group.pages.filter(locale__language_code=language).first() or working_group.pages.first()
    area = page.members_area() if page is not None else None
    return (area.get_full_url() or "") if area is not None else ""


@transaction.atomic
def decide(join_request, approve, by):
    """Approve (the user joins the group at once) or decline a pending request."""
    join_request = type(join_request).objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequestStatus.PENDING:
        return join_request
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        join_request.user.groups.add(join_request.working_group.group)
    url = _members_area_url(join_request.working_group, join_request.language) if approve else ""
    transaction.on_commit(lambda: _notify(join_request, approve, url))
    return join_request


def add_member(working_group, user):
    working_group.group.user_set.add(user)
    # A pending request is answered by the addition.
    working_group.join_requests.filter(user=user, status=JoinRequestStatus.PENDING).update(
        status=JoinRequestStatus.APPROVED, decided_at=timezone.now()
    )


def remove_member(working_group, user):
    """Take ``user`` out of the group (and out of the chairs); their calendar address stops working."""
    working_group.chairs.remove(user)
    working_group.group.user_set.remove(user)
