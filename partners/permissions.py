"""Who may change what: one group and one collection per partner, and the board's review workflow.

A partner group may
- do what the "Partner template" group may, which every partner group shares: sign in to the
  admin, and add pages under the sections that their apps open to proposals (articles and events,
  see ``hub.permissions``; "add" lets a user edit only the pages they created),
- edit its own PartnerPage (Wagtail's "change" permission on that page only, no "publish"),
- add, change and choose images and documents in its own collection only.
Every change a partner makes goes through the "Board review" workflow, assigned to every reviewed
section (partners, articles, events) in every locale; the Board group approves (publishes) or rejects.
Everything here is idempotent: ``migrate`` runs ``sync_partner_permissions()`` (see
``partners.install``), and ``manage.py sync_partner_permissions`` repairs with the same code.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from hub.permissions import proposal_sections, reviewed_sections

from .models import PartnerPage

BOARD_GROUP = "Board"
BOARD_WORKFLOW = "Board review"
BOARD_TASK = "Board approval"
PARTNER_TEMPLATE_GROUP = "Partner template"
PARTNER_GROUP_PREFIX = "Partner: "
PARTNER_COLLECTION_PREFIX = "Partner: "

MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_permission(codename):
    return Permission.objects.get(content_type=ContentType.objects.get_for_model(Page), codename=codename)


def admin_access_permission():
    """``wagtailadmin.access_admin``: needed to sign in to the admin at all."""
    return _permission("wagtailadmin", "access_admin")


def _max_length(model, field):
    return model._meta.get_field(field).max_length


def partner_group_name(partner_page):
    """``Partner: <organisation>`` (cut to fit, with the page id to stay unique)."""
    name = f"{PARTNER_GROUP_PREFIX}{partner_page.title}"
    limit = _max_length(Group, "name")
    suffix = f" #{partner_page.pk}"
    return name if len(name) <= limit else name[: limit - len(suffix)] + suffix


def _grant_page(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_permission(codename))


def partner_collection(partner_page):
    """The partner's own collection for images and documents (created under the root collection)."""
    group = partner_group_for(partner_page)
    existing = Collection.objects.filter(group_permissions__group=group).exclude(depth=1).first() if group else None
    if existing:
        return existing
    name = f"{PARTNER_COLLECTION_PREFIX}{partner_page.title}"[: _max_length(Collection, "name")]
    return Collection.get_first_root_node().add_child(name=name)


def partner_group_for(partner_page):
    """The partner group of ``partner_page`` (any locale), or None."""
    source = partner_page.get_translations(inclusive=True).filter(alias_of__isnull=True).order_by("pk").first()
    pages = [partner_page.pk] + ([source.pk] if source else [])
    return (
        Group.objects.filter(page_permissions__page_id__in=pages, name__startswith=PARTNER_GROUP_PREFIX)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def setup_partner_template():
    """The "Partner template" group: what every partner group gets (idempotent). Returns it.

    The Board may widen it in the admin (Settings → Groups); ``sync_partner_permissions`` (and
    every ``migrate``) copies it into each partner group.
    """
    template, _created = Group.objects.get_or_create(name=PARTNER_TEMPLATE_GROUP)
    template.permissions.add(admin_access_permission())
    for section in proposal_sections():
        _grant_page(template, section, ["add_page"])
    return template


@transaction.atomic
def setup_partner_access(partner_page):
    """Create or update the partner group of ``partner_page``; return it. Idempotent."""
    group = partner_group_for(partner_page)
    if group is None:
        group, _created = Group.objects.get_or_create(name=partner_group_name(partner_page))
    collection = partner_collection(partner_page)
    template = Group.objects.filter(name=PARTNER_TEMPLATE_GROUP).first() or setup_partner_template()
    group.permissions.add(*template.permissions.all())
    for grant in template.page_permissions.all():
        GroupPagePermission.objects.get_or_create(group=group, page_id=grant.page_id, permission_id=grant.permission_id)
    # Only "change" on its own page: no publish, no delete, no move, no lock for others.
    _grant_page(group, partner_page, ["change_page"])
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(app_label, codename)
            )
    return group


@transaction.atomic
def setup_board():
    """The Board group (editors who approve partner changes) and the "Board review" workflow. Returns both."""
    board, _created = Group.objects.get_or_create(name=BOARD_GROUP)
    board.permissions.add(admin_access_permission())
    for app_label, _model, codenames in [
        ("partners", "person", ["add_person", "change_person", "delete_person"]),
        (
            "partners",
            "membershipapplication",
            ["view_membershipapplication", "change_membershipapplication", "delete_membershipapplication"],
        ),
        ("partners", "membershipapplication", ["invite_partner"]),
        # Topics are site-wide: the Board creates them (partners only choose existing ones).
        ("hub", "topic", ["add_topic", "change_topic", "delete_topic"]),
        ("hub", "topiclabel", ["add_topiclabel", "change_topiclabel"]),
        ("wagtail_localize", "translation", ["submit_translation"]),
    ]:
        for codename in codenames:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission:
                board.permissions.add(permission)
    root_page = Page.get_first_root_node()
    _grant_page(board, root_page, ["add_page", "change_page", "publish_page", "delete_page", "lock_page"])
    root_collection = Collection.get_first_root_node()
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        model_name = "image" if app_label == "wagtailimages" else "document"
        for codename in [*codenames, f"delete_{model_name}"]:
            GroupCollectionPermission.objects.get_or_create(
                group=board, collection=root_collection, permission=_permission(app_label, codename)
            )

    workflow, _created = Workflow.objects.get_or_create(name=BOARD_WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=BOARD_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=BOARD_TASK)
    task.groups.add(board)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # Only where a section has no workflow yet, so a choice made in the admin survives migrate.
    for section in reviewed_sections():
        WorkflowPage.objects.get_or_create(page=section, defaults={"workflow": workflow})
    return board, workflow


def sync_partner_permissions():
    """(Re)apply the board set-up, the partner template and every partner's group. Returns the number of partner groups."""
    setup_board()
    setup_partner_template()
    count = 0
    for partner_page in PartnerPage.objects.filter(alias_of__isnull=True, locale__language_code=settings.LANGUAGE_CODE):
        setup_partner_access(partner_page)
        count += 1
    return count
