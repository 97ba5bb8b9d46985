"""What ``migrate`` installs for events beyond migration 0003: the section's translations."""

from django.utils.translation import gettext_lazy as _

from hub.install import translate_installed

from .models import EventIndexPage

# The English install default of migration 0003, translated from the catalogues.
SECTION_TITLE = _("Events")


def translate_section(**kwargs):
    """post_migrate: the installed events section in every locale."""
    translate_installed(EventIndexPage, [SECTION_TITLE])
