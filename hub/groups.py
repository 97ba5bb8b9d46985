"""The Translators group: translation rights in every non-default locale, and nothing else."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Page

from hub.permissions import translatable_snippet_permissions

TRANSLATORS = "Translators"


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_translators_group(**kwargs):
    """Create or refresh the Translators group (idempotent; run by ``migrate``, see ``hub.install``).

    Translators may open the admin, submit and edit translations, edit the translatable snippets
    their apps registered (``hub.permissions``), and edit and publish pages only in the translated
    trees (every locale's home page except the default language's), so they cannot change English
    source content.
    """
    group, _ = Group.objects.get_or_create(name=TRANSLATORS)
    group.permissions.add(
        _permission("wagtailadmin.access_admin"),
        _permission("wagtail_localize.submit_translation"),
        *translatable_snippet_permissions(),
    )
    homes = Page.objects.filter(depth=2).exclude(locale__language_code=settings.LANGUAGE_CODE)
    for home in homes:
        for codename in ["change_page", "publish_page"]:
            permission = _permission(f"wagtailcore.{codename}")
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    return group
