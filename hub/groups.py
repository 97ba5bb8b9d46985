"""The Translators group: translation rights in every non-default locale, and nothing else."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Page

TRANSLATORS = "Translators"
# Snippets translators may translate (app_label.codename); missing models are skipped.
TRANSLATABLE_SNIPPET_PERMISSIONS = ["partners.change_person", "hub.change_footertext", "hub.change_topiclabel"]


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def sync_translators_group():
    """Create or refresh the Translators group (idempotent).

    Translators may open the admin, submit and edit translations, and edit and publish pages
    only in the translated trees (every locale's home page except the default language's), so
    they cannot change English source content.
    """
    group, _ = Group.objects.get_or_create(name=TRANSLATORS)
    for dotted in [
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
        *TRANSLATABLE_SNIPPET_PERMISSIONS,
    ]:
        permission = _permission(dotted)
        if permission is not None:
            group.permissions.add(permission)
    homes = Page.objects.filter(depth=2).exclude(locale__language_code=settings.LANGUAGE_CODE)
    for home in homes:
        for codename in ["change_page", "publish_page"]:
            permission = _permission(f"wagtailcore.{codename}")
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    return group
