"""What ``migrate`` installs for articles beyond migration 0003: the section's translations."""

from django.utils.translation import gettext_lazy as _

from hub.install import translate_installed

from .models import ArticleIndexPage

# The English install default of migration 0003, translated from the catalogues.
SECTION_TITLE = _("Articles")


def translate_section(**kwargs):
    """post_migrate: the installed articles section in every locale."""
    translate_installed(ArticleIndexPage, [SECTION_TITLE])
