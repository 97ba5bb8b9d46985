"""Admin registrations: applications, the invitation screen, a partner-profile action."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from . import dashboard, isolation
from .admin_views import ApplicationViewSet, InviteView
from .models import PartnerPage


@hooks.register("register_admin_viewset")
def register_applications():
    return ApplicationViewSet()


# What waits for the Board's review, on Board members' dashboards (partners.dashboard).
hooks.register("construct_homepage_panels", dashboard.board_review_panel)


@hooks.register("register_admin_urls")
def register_invite_url():
    return [path("partners/invite/", InviteView.as_view(), name="partners_invite")]


class InviteMenuItem(MenuItem):
    """Shown only to those allowed to invite partners."""

    def is_shown(self, request):
        return request.user.has_perm("partners.invite_partner")


@hooks.register("register_admin_menu_item")
def register_invite_menu_item():
    return InviteMenuItem(_("Invite a partner"), reverse("partners_invite"), icon_name="user", order=260)


@hooks.register("register_page_listing_more_buttons")
def invite_button(page, user, next_url=None, **kwargs):
    """'Invite a partner user' on partner profiles, for those allowed to invite."""
    if isinstance(page.specific_deferred, PartnerPage) and user.has_perm("partners.invite_partner"):
        yield Button(_("Invite a partner user"), reverse("partners_invite") + f"?partner={page.pk}", priority=60)


@hooks.register("before_copy_page")
def refuse_copy_without_add_permission(request, page):
    """Wagtail shows the copy form to anyone with admin access; only offer it where a copy could be added."""
    parent = page.get_parent()
    if parent is None or not parent.permissions_for_user(request.user).can_add_subpage():
        messages.error(request, _("Sorry, you do not have permission to copy this page."))
        return redirect("wagtailadmin_home")
    return None


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_partners_their_own(parent_page, pages, request):
    """Partners see only their organisation's pages and the sections leading to them."""
    return isolation.explorable(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_offers_partners_their_own(pages, request):
    """Partners choose among their organisation's pages and published pages without unpublished changes."""
    return isolation.choosable(pages, request.user)


@hooks.register("construct_reports_menu")
def reports_partners_may_open(request, menu_items):
    """Offer partners only the reports that list nothing but their own organisation's work."""
    if isolation.scope_for(request.user) is None:
        return
    allowed = {reverse(f"wagtailadmin_reports:{name}") for name in isolation.PARTNER_REPORTS}
    menu_items[:] = [item for item in menu_items if not item.url.startswith("/admin/reports/") or item.url in allowed]
