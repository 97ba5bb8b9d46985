"""What ``migrate`` installs for working groups beyond migration 0002: the section's translations,
and (once every app's permissions exist) each group's members' areas, rights and restrictions."""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from hub.install import translate_installed

from .models import WorkingGroupIndexPage
from .privacy import board_group
from .setup import sync_all

# The English install default of migration 0002, translated from the catalogues.
SECTION_TITLE = _("Working groups")


def translate_section(**kwargs):
    """post_migrate: the installed working groups section in every locale."""
    translate_installed(WorkingGroupIndexPage, [SECTION_TITLE])


def set_up_groups(**kwargs):
    """permissions_ready: the Board may edit working groups; every group's areas, rights and restrictions."""
    board = board_group()
    board.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="groups", codename__in=["view_workinggroup", "change_workinggroup"]
        )
    )
    sync_all()
