"""What ``migrate`` installs for partners beyond migration 0003: the sections' translations, and
(once every app's permissions exist) the Board, the partner template and the Board review workflow."""

from django.utils.translation import gettext_lazy as _

from hub.install import translate_installed

from .models import ContributorsPage, JoinPage, PartnerIndexPage
from .permissions import sync_partner_permissions

# The English install defaults of migration 0003, translated from the catalogues.
SECTION_TITLES = {PartnerIndexPage: _("Partners"), ContributorsPage: _("Contributors"), JoinPage: _("Join")}


def translate_sections(**kwargs):
    """post_migrate: the installed partners, contributors and join sections in every locale."""
    for model, title in SECTION_TITLES.items():
        translate_installed(model, [title])


def set_up_permissions(**kwargs):
    """permissions_ready: the Board, the partner template, every partner's group, the workflow."""
    sync_partner_permissions()
