"""The people side of a working group: the group (members, chairs, files, time zone), requests to
join it, and members' secret calendar addresses."""

import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Collection

from partners.permissions import BOARD_GROUP

from ..choices import JoinRequestStatus

WORKING_GROUP_PREFIX = "Working group: "


def validate_time_zone(value):
    """Refuse anything that is not an IANA time zone name."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value}) from error


def time_zone_choices():
    """Every IANA zone zoneinfo knows, sorted (computed at run time, so migrations do not list them)."""
    return [(name, name) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


def _unique_name(model, field, name):
    """``name`` cut to the field's length, with a number added until no row uses it."""
    limit = model._meta.get_field(field).max_length
    candidate, number = name[:limit], 1
    while model.objects.filter(**{field: candidate}).exists():
        number += 1
        suffix = f" ({number})"
        candidate = name[: limit - len(suffix)] + suffix
    return candidate


# --- The group ----------------------------------------------------------------------------


class WorkingGroupQuerySet(models.QuerySet):
    """Which groups a user may see and manage in the admin."""

    def managed_by(self, user):
        """Every group for superusers and the Board; the groups they chair for everyone else."""
        if not user.is_active:
            return self.none()
        if user.is_superuser or user.groups.filter(name=BOARD_GROUP).exists():
            return self.all()
        return self.filter(chairs=user)

    def viewable_by(self, user):
        """Groups whose members-only material ``user`` may see: their own; all for the Board and superusers."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser or user.groups.filter(name=BOARD_GROUP).exists():
            return self.all()
        return self.filter(group__in=user.groups.all())


class WorkingGroup(models.Model):
    """The people of a working group: members (one Wagtail group), chairs, files and time zone.

    Created with the group's first page; the chairs manage membership in the admin (*Working
    groups*), and join requests sent from the public page wait for them there.
    """

    name = models.CharField(_("name"), max_length=120)
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="working_group", editable=False, verbose_name=_("members")
    )
    collection = models.OneToOneField(
        Collection,
        on_delete=models.PROTECT,
        related_name="working_group",
        editable=False,
        verbose_name=_("documents collection"),
    )
    chairs = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="chaired_working_groups", verbose_name=_("chairs")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Meetings are entered and shown in this IANA time zone, e.g. Europe/Madrid."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A new group gets a Wagtail group (its members) and a collection (its files) of its own."""
        label = f"{WORKING_GROUP_PREFIX}{self.name}"
        if self.group_id is None:
            self.group = Group.objects.create(name=_unique_name(Group, "name", label))
        if self.collection_id is None:
            self.collection = Collection.get_first_root_node().add_child(name=_unique_name(Collection, "name", label))
        return super().save(*args, **kwargs)

    @property
    def zone(self):
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def members(self):
        """Active users in the group, by name."""
        return self.group.user_set.filter(is_active=True).order_by("first_name", "last_name", "username")

    def is_member(self, user):
        return bool(user.is_authenticated and user.is_active and user.groups.filter(pk=self.group_id).exists())

    def can_view(self, user):
        """Members-only material is for the group's members, the Board and superusers."""
        if not (user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or user.groups.filter(models.Q(pk=self.group_id) | models.Q(name=BOARD_GROUP)).exists()

    def can_manage(self, user):
        """Chairs, the Board and superusers manage membership and answer join requests."""
        return self in WorkingGroup.objects.managed_by(user)

    def chair_emails(self):
        return [user.email for user in self.chairs.filter(is_active=True) if user.email]


class JoinRequest(models.Model):
    """A partner member's request to join a working group, sent from its public page; a chair decides."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("working group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="working_group_requests",
        verbose_name=_("user"),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING, db_index=True
    )
    language = models.CharField(_("language"), max_length=12, default=settings.LANGUAGE_CODE, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "user"],
                condition=models.Q(status=JoinRequestStatus.PENDING),
                name="one_pending_join_request_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.working_group}"


class CalendarFeed(models.Model):
    """A member's secret address of their group's meeting calendar; revoked by making a new one.

    It works only while its user is a member: leaving the group closes it.
    """

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="calendar_feeds")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["working_group", "user"], name="one_calendar_feed_per_member")]

    def __str__(self):
        return f"{self.working_group} · {self.user}"

    @classmethod
    def for_member(cls, working_group, user):
        """The member's feed, made on first use."""
        feed, _created = cls.objects.get_or_create(
            working_group=working_group, user=user, defaults={"token": secrets.token_urlsafe(32)}
        )
        return feed

    def renew(self):
        """Revoke this address: the old one stops working at once."""
        self.token = secrets.token_urlsafe(32)
        self.save(update_fields=["token"])

    def is_valid(self):
        return self.user.is_active and self.working_group.can_view(self.user)
