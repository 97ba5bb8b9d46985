"""Signal receivers of the working groups (connected by ``GroupsConfig.ready()``)."""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import CollectionViewRestriction, PageViewRestriction
from wagtail.signals import page_published

from . import privacy, setup
from .models import MeetingPage, MembersAreaPage, WorkingGroup, WorkingGroupPage


def group_saved(sender, instance, created, raw=False, **kwargs):
    """A new or changed working group: its rights and its collection's restriction."""
    if not raw:
        setup.sync_working_group(instance)


def chairs_changed(sender, instance, action, **kwargs):
    """Chairs are members: adding a chair adds them to the group."""
    if action == "post_add" and isinstance(instance, WorkingGroup):
        instance.group.user_set.add(*instance.chairs.all())


def group_page_published(sender, instance, **kwargs):
    """A published group page has its members' area in every locale it exists in."""
    setup.ensure_members_areas(instance)


def bump_sequence(sender, instance, **kwargs):
    """Count a meeting's publications: calendar clients replace their copy when SEQUENCE rises."""
    MeetingPage.objects.filter(pk=instance.pk).update(sequence=F("sequence") + 1)


def area_saved(sender, instance, **kwargs):
    privacy.area_saved(sender, instance, **kwargs)
    if not kwargs.get("raw") and kwargs.get("created"):
        setup.grant_area(instance)


def connect():
    post_save.connect(group_saved, sender=WorkingGroup, dispatch_uid="groups-group-saved")
    m2m_changed.connect(chairs_changed, sender=WorkingGroup.chairs.through, dispatch_uid="groups-chairs")
    page_published.connect(group_page_published, sender=WorkingGroupPage, dispatch_uid="groups-page-published")
    post_save.connect(area_saved, sender=MembersAreaPage, dispatch_uid="groups-area-saved")
    page_published.connect(bump_sequence, sender=MeetingPage, dispatch_uid="groups-meeting-sequence")
    for signal in (post_save, post_delete):
        signal.connect(
            privacy.page_restriction_changed, sender=PageViewRestriction, dispatch_uid=f"groups-pvr-{id(signal)}"
        )
        signal.connect(
            privacy.collection_restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"groups-cvr-{id(signal)}",
        )
    m2m_changed.connect(
        privacy.page_restriction_changed, sender=PageViewRestriction.groups.through, dispatch_uid="groups-pvr-groups"
    )
    m2m_changed.connect(
        privacy.collection_restriction_changed,
        sender=CollectionViewRestriction.groups.through,
        dispatch_uid="groups-cvr-groups",
    )
