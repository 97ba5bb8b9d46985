"""Everything a working group needs besides its pages' content, made and repaired idempotently.

- ``ensure_members_areas(page)``: a members' area below the group's page in every locale the page
  exists in (a real page under the source, aliases of it elsewhere, as wagtail-localize makes them).
- ``sync_working_group(group)``: the members' rights (sign in to the admin; add, edit and publish
  pages in their members' area in every locale; add, edit and choose documents in their
  collection), chairs counted as members, and the collection's restriction.

``migrate`` runs ``sync_all`` (see ``groups.apps``); ``manage.py sync_working_groups`` repairs the
same way.
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from .models import MembersAreaPage, WorkingGroup, WorkingGroupPage
from .privacy import sync_area_restriction, sync_collection_restriction

AREA_SLUG = "members"
AREA_TITLE = _("Members' area")
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
DOCUMENT_PERMISSIONS = ["add_document", "change_document", "choose_document"]


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _versions(page):
    """Every locale's version of ``page``: the default language's first, real pages before aliases."""
    versions = list(WorkingGroupPage.objects.filter(translation_key=page.translation_key).select_related("locale"))
    return sorted(
        versions,
        key=lambda version: (version.locale.language_code != settings.LANGUAGE_CODE, version.alias_of_id is not None),
    )


@transaction.atomic
def ensure_members_areas(page):
    """Give every locale's version of the working group page ``page`` its members' area. Returns the areas made."""
    versions = _versions(page)
    if not versions:
        return []
    existing = {}
    for version in versions:
        area = MembersAreaPage.objects.child_of(version).first()
        if area is not None:
            existing[version.pk] = area
    made = []
    source = next((area for area in existing.values() if area.alias_of_id is None), None)
    if source is None:
        base = next((version for version in versions if version.alias_of_id is None), versions[0])
        with translation.override(base.locale.language_code):
            title = str(AREA_TITLE)
        source = base.add_child(instance=MembersAreaPage(title=title, slug=AREA_SLUG, live=True, locale=base.locale))
        source.save_revision(log_action=False).publish(log_action=False)
        existing[base.pk] = source
        made.append(source)
    for version in versions:
        if version.pk not in existing:
            made.append(source.copy_for_translation(version.locale, alias=True))
    for area in made:
        grant_area(area)
    return made


def grant_area(area):
    """Let the area's group add, edit and publish pages in it (one locale's area)."""
    group_page = WorkingGroupPage.objects.filter(pk=area.get_parent().pk).select_related("working_group").first()
    if group_page is None or group_page.working_group is None:
        return
    group = group_page.working_group.group
    page_type = ContentType.objects.get_for_model(Page)
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type=page_type, codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page_id=area.pk, permission=permission)


@transaction.atomic
def sync_working_group(working_group):
    """Rights, chairs and the collection restriction of one working group (idempotent)."""
    group = working_group.group
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for codename in DOCUMENT_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=working_group.collection, permission=_permission("wagtaildocs", codename)
        )
    group.user_set.add(*working_group.chairs.all())
    sync_collection_restriction(working_group)
    for area in MembersAreaPage.objects.filter(
        pk__in=[
            child.pk
            for page in working_group.pages.all()
            for child in MembersAreaPage.objects.child_of(page).only("pk")
        ]
    ):
        grant_area(area)
        sync_area_restriction(area)


def sync_all(**kwargs):
    """Every group's areas, rights and restrictions (run by migrate and ``sync_working_groups``)."""
    for page in WorkingGroupPage.objects.filter(alias_of__isnull=True, live=True):
        ensure_members_areas(page)
    groups = list(WorkingGroup.objects.all())
    for working_group in groups:
        sync_working_group(working_group)
    return len(groups)
