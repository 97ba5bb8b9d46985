"""Privacy that holds everywhere: each members' area, in every locale, and each group's collection
are restricted to the group's members and the Board.

Every public surface already filters on Wagtail's view restrictions: ``PageQuerySet.public()``
(listings, search, sitemap, feeds, calendars), the pages API, and the page and document views.
wagtail-localize does not copy restrictions to translations, so here the restriction is derived
from the tree instead of being set by hand: every ``MembersAreaPage`` (each locale, aliases
included) has exactly one GROUPS restriction naming its working group's Wagtail group and the
Board, written when the page is saved and put back whenever anyone changes or removes it (after
the change commits). Serving checks membership again in code (``groups.wagtail_hooks``), so a
missing row could never open a page or a file.
"""

import threading

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from wagtail.models import BaseViewRestriction, CollectionViewRestriction, PageViewRestriction

from partners.permissions import BOARD_GROUP

from .models import MembersAreaPage, WorkingGroup, WorkingGroupPage

_syncing = threading.local()


def board_group():
    """The Board group (made here if the partners set-up has not run yet)."""
    group, _created = Group.objects.get_or_create(name=BOARD_GROUP)
    return group


def wanted_group_ids(working_group):
    return {working_group.group_id, board_group().pk}


def _normalise(restrictions, make, wanted):
    """Keep one GROUPS restriction naming exactly ``wanted`` groups; delete the rest; make one if none.

    Returns True when anything changed.
    """
    keep, changed = None, False
    for restriction in restrictions:
        groups = {group.pk for group in restriction.groups.all()}
        if keep is None and restriction.restriction_type == BaseViewRestriction.GROUPS and groups == wanted:
            keep = restriction
            continue
        restriction.delete()
        changed = True
    if keep is None:
        keep = make()
        keep.groups.set(wanted)
        changed = True
    return changed


def _guarded(function):
    """Run ``function`` with the restriction signals muted (its own writes must not re-trigger it)."""

    def run(*args, **kwargs):
        if getattr(_syncing, "active", False):
            return False
        _syncing.active = True
        try:
            return function(*args, **kwargs)
        finally:
            _syncing.active = False

    return run


@_guarded
def sync_area_restriction(area):
    """Restrict ``area`` (a members' area in any locale) to its group's members and the Board."""
    group_page = WorkingGroupPage.objects.filter(pk=area.get_parent().pk).select_related("working_group").first()
    if group_page is None or group_page.working_group is None:
        return False
    wanted = wanted_group_ids(group_page.working_group)
    restrictions = PageViewRestriction.objects.filter(page=area).prefetch_related("groups")
    return _normalise(
        restrictions,
        lambda: PageViewRestriction.objects.create(page=area, restriction_type=BaseViewRestriction.GROUPS),
        wanted,
    )


@_guarded
def sync_collection_restriction(working_group):
    """Restrict the group's collection (its draft documents) to its members and the Board."""
    restrictions = CollectionViewRestriction.objects.filter(collection=working_group.collection).prefetch_related(
        "groups"
    )
    return _normalise(
        restrictions,
        lambda: CollectionViewRestriction.objects.create(
            collection=working_group.collection, restriction_type=BaseViewRestriction.GROUPS
        ),
        wanted_group_ids(working_group),
    )


def sync_all_restrictions():
    """Repair every members' area and collection restriction; returns how many were changed."""
    changed = sum(1 for area in MembersAreaPage.objects.all() if sync_area_restriction(area))
    changed += sum(1 for group in WorkingGroup.objects.all() if sync_collection_restriction(group))
    return changed


# --- Signal receivers: changes made anywhere (the admin's privacy dialog, a script) are undone ---


def area_saved(sender, instance, **kwargs):
    """post_save of a members' area (any locale, aliases too): restrict it now."""
    if not kwargs.get("raw"):
        sync_area_restriction(instance)


def page_restriction_changed(sender, instance, **kwargs):
    """A page restriction was saved, deleted or given other groups: put a members' area's back after commit."""
    if getattr(_syncing, "active", False) or kwargs.get("raw") or not isinstance(instance, PageViewRestriction):
        return
    page_id = instance.page_id
    if not MembersAreaPage.objects.filter(pk=page_id).exists():
        return
    if kwargs.get("action") == "post_add" and _duplicate(instance):
        # Wagtail copies a page's restriction onto each new alias; the alias already has its own.
        _syncing.active = True
        try:
            instance.delete()
        finally:
            _syncing.active = False
        return

    def restore():
        area = MembersAreaPage.objects.filter(pk=page_id).first()
        if area is not None:
            sync_area_restriction(area)

    transaction.on_commit(restore)


def _duplicate(restriction):
    """True when ``restriction`` repeats another GROUPS restriction of its page with the same groups."""
    groups = set(restriction.groups.values_list("pk", flat=True))
    others = PageViewRestriction.objects.filter(
        page_id=restriction.page_id, restriction_type=BaseViewRestriction.GROUPS
    ).exclude(pk=restriction.pk)
    return restriction.restriction_type == BaseViewRestriction.GROUPS and any(
        set(other.groups.values_list("pk", flat=True)) == groups for other in others
    )


def collection_restriction_changed(sender, instance, **kwargs):
    """The same for the restriction of a working group's collection."""
    if getattr(_syncing, "active", False) or kwargs.get("raw") or not isinstance(instance, CollectionViewRestriction):
        return
    collection_id = instance.collection_id

    def restore():
        group = WorkingGroup.objects.filter(collection_id=collection_id).first()
        if group is not None:
            sync_collection_restriction(group)

    if WorkingGroup.objects.filter(collection_id=collection_id).exists():
        transaction.on_commit(restore)


# --- Who may see what ------------------------------------------------------------------------


def working_group_of_page(page):
    """The working group a members-only page belongs to (None for any other page)."""
    group_page = (
        WorkingGroupPage.objects.ancestor_of(page).select_related("working_group").only("working_group").first()
    )
    return group_page.working_group if group_page is not None else None


def working_group_of_document(document):
    """The working group whose collection (or a collection below it) holds ``document``, or None."""
    collection = document.collection
    ancestors = [collection.pk, *collection.get_ancestors().values_list("pk", flat=True)]
    return WorkingGroup.objects.filter(collection_id__in=ancestors).first()


def admin_scope(user):
    """``hub.permissions`` admin scope: a member sees their groups' pages (the summary and the
    members' area below it, every locale) and the way to them in the admin, whatever their partner
    organisation's scope."""
    if not (user.is_authenticated and user.is_active):
        return None
    paths = WorkingGroupPage.objects.filter(working_group__group__in=user.groups.all()).values_list("path", flat=True)
    condition = None
    steplen = WorkingGroupPage.steplen
    for path in paths:
        ancestors = [path[:end] for end in range(steplen, len(path), steplen)]
        mine = Q(path__startswith=path) | Q(path__in=ancestors)
        condition = mine if condition is None else condition | mine
    return condition


def hidden_members_pages(user):
    """``hub.permissions`` hidden pages: the members-only pages of the groups ``user`` may not see."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    visible = set(WorkingGroup.objects.viewable_by(user).values_list("pk", flat=True))
    condition = None
    for group_page in WorkingGroupPage.objects.exclude(working_group__in=visible).only("path", "depth"):
        below = Q(path__startswith=group_page.path, depth__gt=group_page.depth)
        condition = below if condition is None else condition | below
    return condition
