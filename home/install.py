"""What ``migrate`` installs for the home page beyond migration 0002: its translations."""

from django.utils.translation import gettext_lazy as _

from hub.install import translate_installed

from .models import HomePage

# The English install defaults of migration 0002, translated from the catalogues.
DEFAULT_TEXTS = [_("Home"), _("Securing Smart Cities")]


def translate_home_page(**kwargs):
    """post_migrate: the installed home page in every locale (as wagtail-localize translations)."""
    translate_installed(HomePage, DEFAULT_TEXTS)
