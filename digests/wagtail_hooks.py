"""Admin: the subscribers report (counts, export, erase) for the Board."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import VIEW, SubscribersView, export


@hooks.register("register_admin_urls")
def register_subscriber_urls():
    return [
        path("digests/subscribers/", SubscribersView.as_view(), name="digests_subscribers"),
        path("digests/subscribers/export.csv", export, name="digests_export"),
    ]


class SubscribersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_reports_menu_item")
def register_subscribers_menu_item():
    return SubscribersMenuItem(_("Digest subscribers"), reverse("digests_subscribers"), icon_name="mail", order=720)
