"""Wagtail hooks of the working groups: members-only pages and files checked in code, hidden from
other admin users, and the admin screens for chairs."""

from urllib.parse import quote

import django_otp

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.wagtail_hooks import require_wagtail_login

from .admin_views import ChairPermissionPolicy, WorkingGroupViewSet
from .models import DraftPage, MembersOnlyPage, WorkingGroup
from .privacy import hidden_members_pages, working_group_of_document, working_group_of_page
from .proposals import PROPOSED


def _second_factor_missing(request):
    """With two-factor sign-in required, members-only material waits for the second factor too."""
    user = request.user
    return getattr(settings, "HUB_ADMIN_2FA_REQUIRED", False) and not user.is_verified()


def _second_factor(request):
    """To the admin's second step (set-up the first time, the code afterwards), then back here."""
    view = "hub_2fa_verify" if django_otp.user_has_device(request.user) else "hub_2fa_setup"
    return redirect(f"{reverse(view)}?next={quote(request.get_full_path())}")


@hooks.register("before_serve_page", order=-20)
def members_only_pages_for_members(page, request, serve_args, serve_kwargs):
    """A members-only page is served to its group's members, the Board and superusers only.

    Signed-out visitors are sent to sign in; signed-in people who may not see it get a 404, which
    says no more than a page that does not exist. Wagtail's own restriction check would answer
    the same way; this one does not depend on the restriction row being there.
    """
    if not isinstance(page, MembersOnlyPage):
        return None
    if not request.user.is_authenticated:
        return require_wagtail_login(next=request.get_full_path())
    group = working_group_of_page(page)
    if group is None or not group.can_view(request.user):
        raise Http404
    if _second_factor_missing(request):
        return _second_factor(request)
    request.hub_private_response = True  # never stored by a shared cache (hub.middleware)
    return None


@hooks.register("before_serve_document", order=-20)
def group_documents_for_members(document, request):
    """A file of a group's collection: 404 to anyone but the group's members, the Board and
    superusers (signed out too: a file link never asks to sign in), and never cached for them."""
    group = working_group_of_document(document)
    if group is None:
        return None
    if not group.can_view(request.user):
        raise Http404
    if _second_factor_missing(request):
        return _second_factor(request)
    request.hub_private_response = True  # never stored by a shared cache (hub.middleware)
    return None


# --- The admin: other users never see a group's members-only pages ---------------------------


@hooks.register("construct_explorer_page_queryset")
def hide_other_groups_in_explorer(parent_page, pages, request):
    hidden = hidden_members_pages(request.user)
    return pages if hidden is None else pages.exclude(hidden)


@hooks.register("construct_page_chooser_queryset")
def hide_other_groups_in_chooser(pages, request):
    hidden = hidden_members_pages(request.user)
    return pages if hidden is None else pages.exclude(hidden)


def _refuse_non_members(request, page):
    page = page.specific_deferred if isinstance(page, Page) else page
    if isinstance(page, MembersOnlyPage):
        group = working_group_of_page(page)
        if group is None or not group.can_view(request.user):
            raise PermissionDenied
    return None


for _hook in ("before_edit_page", "before_delete_page", "before_copy_page", "before_move_page"):
    hooks.register(_hook, _refuse_non_members)


@hooks.register("before_create_page")
def refuse_creating_in_other_groups(request, parent_page, page_class):
    return _refuse_non_members(request, parent_page)


register_permission_policy(WorkingGroup, ChairPermissionPolicy(WorkingGroup), exact_class=True)


@hooks.register("register_admin_viewset")
def register_working_groups():
    return WorkingGroupViewSet()


@hooks.register("register_log_actions")
def register_proposal_action(actions):
    """ "Proposed for publication" in a draft's history, naming the page that was made."""

    @actions.register_action(PROPOSED)
    class Proposed(LogFormatter):
        label = _("Propose for publication")

        def format_message(self, log_entry):
            title = log_entry.data.get("page", {}).get("title", "")
            return _("Proposed for publication as “%(title)s”") % {"title": title}


@hooks.register("register_page_header_buttons")
def propose_button(page, user, view_name=None, **kwargs):
    """ "Propose for publication" on a draft, for those who can see it."""
    if isinstance(page.specific_deferred, DraftPage):
        group = working_group_of_page(page)
        if group is not None and group.can_view(user):
            yield Button(
                _("Propose for publication"),
                reverse("working_groups:propose", args=[page.pk]),
                icon_name="upload",
                priority=70,
            )
