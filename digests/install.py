"""What ``migrate`` installs for digests beyond migration 0002: the page's translations, the Board's rights."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from hub.install import translate_installed
from partners.permissions import BOARD_GROUP

from .models import SubscribePage

SECTION_TITLE = _("Topic digests")


def translate_section(**kwargs):
    """post_migrate: the installed subscription page in every locale."""
    translate_installed(SubscribePage, [SECTION_TITLE])


def set_up_permissions(**kwargs):
    """permissions_ready: the Board sees subscriber counts, exports and erases subscribers."""
    board, _created = Group.objects.get_or_create(name=BOARD_GROUP)
    board.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="digests", codename__in=["view_subscriber", "export_subscriber"]
        )
    )
