"""Working groups: a public summary page per group, and a members-only area below it.

Tree: the "Working groups" section (``WorkingGroupIndexPage``) lists the groups; each
``WorkingGroupPage`` is the public summary (charter, chairs, member organisations, how to join)
with one ``MembersAreaPage`` below it, restricted in every locale to the group's members and the
Board (``groups.privacy``); meetings and drafts live in the members' area. Each page belongs to
one ``WorkingGroup``: the Wagtail group whose users are the members, the chairs, the private
collection of draft documents and the time zone meetings are held in.
"""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Collection, Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from hub.blocks import BaseStreamBlock
from hub.localized import localized
from hub.models import BasePage, SectionPage
from partners.permissions import BOARD_GROUP

from .blocks import ActionItemsBlock, MembersStreamBlock
from .choices import TLP, TLP_DESCRIPTIONS, DraftStatus, JoinRequestStatus
from .proposals import proposal_history, public_links_only
from .views import handle_join, renew_calendar, serve_meetings_calendar, serve_summary

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


# --- Pages --------------------------------------------------------------------------------


class WorkingGroupIndexPage(SectionPage):
    """The "Working groups" section (``/{lang}/working-groups/``): every group's public summary."""

    subpage_types = ["groups.WorkingGroupPage"]

    class Meta:
        verbose_name = _("working groups section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = (
            WorkingGroupPage.objects.child_of(self).live().public().defer_streamfields().order_by("title")
        )
        return context


class WorkingGroupChair(Orderable):
    """A chair as the public sees them (a Person); admin rights come from ``WorkingGroup.chairs``."""

    page = ParentalKey("groups.WorkingGroupPage", on_delete=models.CASCADE, related_name="chair_people")
    person = models.ForeignKey("partners.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("chair")
        verbose_name_plural = _("chairs")


class WorkingGroupPage(RoutablePageMixin, BasePage):
    """A working group's public summary: charter, chairs, member organisations and how to join.

    Signed-in members of partner organisations can ask to join from here (``groups.views``).
    """

    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pages",
        editable=False,
        verbose_name=_("working group"),
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences for the list of groups."))
    charter = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("charter"))
    how_to_join = models.TextField(
        _("how to join"), blank=True, help_text=_("Who may join and what members commit to.")
    )
    member_organisations = ParentalManyToManyField(
        "partners.PartnerPage", blank=True, related_name="+", verbose_name=_("member organisations")
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("summary"),
        FieldPanel("charter"),
        InlinePanel("chair_people", label=_("Chairs")),
        FieldPanel("member_organisations"),
        FieldPanel("how_to_join"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("summary"), index.SearchField("charter")]
    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        SynchronizedField("working_group"),
        TranslatableField("summary"),
        TranslatableField("charter"),
        TranslatableField("how_to_join"),
        SynchronizedField("chair_people"),
        SynchronizedField("member_organisations"),
    ]

    parent_page_types = ["groups.WorkingGroupIndexPage"]
    subpage_types = ["groups.MembersAreaPage"]

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def save(self, *args, **kwargs):
        # The group's people, files and time zone come with its first page; translations and
        # aliases share the source page's group.
        if self.working_group_id is None and self.alias_of_id is None:
            limit = WorkingGroup._meta.get_field("name").max_length
            self.working_group = WorkingGroup.objects.create(name=(self.title or self.slug)[:limit])
        return super().save(*args, **kwargs)

    def members_area(self):
        """The members' area below this page (None until it is made)."""
        return MembersAreaPage.objects.child_of(self).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chairs = [chair.person for chair in self.chair_people.select_related("person")]
        context["chairs"] = localized(chairs, self.locale)
        context["organisations"] = localized(
            list(self.member_organisations.order_by("title")),
            self.locale,
            self.member_organisations.model.objects.live().public(),
        )
        return context

    @path("")
    def summary_view(self, request):
        """The public summary (with the visitor's way to join)."""
        return serve_summary(self, request)

    @path("join/", name="join")
    def join_view(self, request):
        """A signed-in partner member asks to join (POST)."""
        return handle_join(self, request)

    @re_path(r"^calendar/(?P<token>[\w-]{20,80})\.ics/$", name="calendar")
    def calendar_view(self, request, token):
        """The meetings calendar at a member's secret address (``calendar/<token>.ics``)."""
        return serve_meetings_calendar(self, request, token)


class MembersOnlyPage(BasePage):
    """Abstract base of the members' area and every page in it.

    Restricted with its subtree to the group's members and the Board in every locale
    (``groups.privacy``); never cached (Wagtail marks restricted responses private and no-store);
    no image or sharing fields, since members-only material has no public files. Each page carries
    a TLP sharing label.
    """

    tlp = models.CharField(
        _("sharing label"),
        max_length=16,
        choices=TLP.choices,
        default=TLP.AMBER,
        help_text=_("Traffic Light Protocol: who members may share this with."),
    )

    # Search engines never see these pages: no SEO or sharing fields.
    promote_panels = [MultiFieldPanel([FieldPanel("slug")], heading=_("Address"))]
    settings_panels = []
    override_translatable_fields = [*BasePage.override_translatable_fields, SynchronizedField("tlp")]

    class Meta:
        abstract = True

    @property
    def tlp_description(self):
        return TLP_DESCRIPTIONS.get(self.tlp, "")

    @cached_property
    def working_group_page(self):
        return WorkingGroupPage.objects.ancestor_of(self).first()

    @property
    def working_group(self):
        page = self.working_group_page
        return page.working_group if page is not None else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["group_page"] = self.working_group_page
        context["working_group"] = self.working_group
        return context


class MembersDocument(Orderable):
    """A file of the group's private collection, listed in the members' area with its sharing label."""

    page = ParentalKey("groups.MembersAreaPage", on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    tlp = models.CharField(_("sharing label"), max_length=16, choices=TLP.choices, default=TLP.AMBER)
    description = models.CharField(_("description"), max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("document"), FieldPanel("tlp")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def tlp_description(self):
        return TLP_DESCRIPTIONS.get(self.tlp, "")

    def clean(self):
        super().clean()
        area = self.page
        group = area.working_group if area is not None else None
        if self.document_id and group is not None and self.document.collection_id != group.collection_id:
            raise ValidationError(
                {
                    "document": _("Choose a document from the group's own collection (“%(name)s”).")
                    % {"name": group.collection.name}
                }
            )


class MembersAreaPage(RoutablePageMixin, MembersOnlyPage):
    """The members' area of one working group: meetings, drafts and the group's documents."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("tlp"),
        FieldPanel("introduction"),
        InlinePanel("documents", label=_("Documents")),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]
    override_translatable_fields = [*MembersOnlyPage.override_translatable_fields, TranslatableField("introduction")]

    parent_page_types = ["groups.WorkingGroupPage"]
    subpage_types = ["groups.MeetingPage", "groups.DraftPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("members' area")
        verbose_name_plural = _("members' areas")

    def meetings(self):
        """Live meetings of this area, soonest first."""
        return MeetingPage.objects.child_of(self).live().order_by("date", "start_time", "pk")

    def drafts(self):
        return DraftPage.objects.child_of(self).live().order_by("-last_published_at")

    def calendar_feed_for(self, user):
        """``user``'s secret calendar address of this group (made on first use), or None for non-members."""
        group = self.working_group
        if group is None or not group.can_view(user):
            return None
        return CalendarFeed.for_member(group, user)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        meetings = list(self.meetings())
        context.update(
            {
                "upcoming": [meeting for meeting in meetings if meeting.date >= today],
                "past": [meeting for meeting in reversed(meetings) if meeting.date < today],
                "drafts": list(self.drafts()),
                "documents": list(self.documents.select_related("document")),
            }
        )
        feed = self.calendar_feed_for(request.user)
        group_page = self.working_group_page
        if feed is not None and group_page is not None:
            context["calendar_url"] = group_page.get_full_url(request) + f"calendar/{feed.token}.ics"
        return context

    @path("")
    def area_view(self, request):
        return self.render(request)

    @path("calendar/renew/", name="renew_calendar")
    def renew_calendar_view(self, request):
        """A new secret calendar address for the signed-in member (POST)."""
        return renew_calendar(self, request)


class MeetingPage(MembersOnlyPage):
    """One meeting: when (in the group's time zone), agenda, minutes, attendees and action items."""

    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"), help_text=_("In the group's time zone."))
    end_time = models.TimeField(_("ends"), help_text=_("In the group's time zone."))
    location = models.CharField(_("where"), max_length=255, blank=True, help_text=_("A room or a call link."))
    agenda = StreamField(MembersStreamBlock(), blank=True, verbose_name=_("agenda"))
    minutes = StreamField(MembersStreamBlock(), blank=True, verbose_name=_("minutes"))
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One person per line."))
    action_items = StreamField(ActionItemsBlock(), blank=True, verbose_name=_("action items"))
    # Rises with every publication; calendar clients replace their copy when it does.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("tlp"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
                FieldPanel("location"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("agenda"),
        FieldPanel("minutes"),
        FieldPanel("attendees"),
        FieldPanel("action_items"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("agenda"), index.SearchField("minutes")]
    override_translatable_fields = [
        *MembersOnlyPage.override_translatable_fields,
        SynchronizedField("date"),
        SynchronizedField("start_time"),
        SynchronizedField("end_time"),
        TranslatableField("location"),
        TranslatableField("agenda"),
        TranslatableField("minutes"),
        SynchronizedField("attendees"),
        TranslatableField("action_items"),
    ]

    parent_page_types = ["groups.MembersAreaPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The meeting must end after it starts.")})

    def _moment(self, value):
        group = self.working_group
        zone = group.zone if group is not None else ZoneInfo("UTC")
        return datetime.combine(self.date, value, tzinfo=zone)

    @property
    def start(self):
        """The start as an aware datetime in the group's zone."""
        return self._moment(self.start_time)

    @property
    def end(self):
        return self._moment(self.end_time)

    @property
    def utc_offset(self):
        offset = self.start.utcoffset()
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        hours, minutes = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}:{minutes:02d}"

    def is_upcoming(self, now=None):
        return self.end >= (now or timezone.now())


class DraftPage(MembersOnlyPage):
    """A draft the group works on (a guideline, say): its history is the page's revisions.

    When it is ready, a member proposes it for publication (``groups.proposals``): a new page
    goes to the Board's review with the draft's history.
    """

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(MembersStreamBlock(), blank=True, verbose_name=_("text"))
    status = models.CharField(_("status"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.WORKING)
    proposed_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("proposed as"),
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True, editable=False)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("tlp"),
        FieldPanel("status"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("summary"), index.SearchField("body")]
    override_translatable_fields = [
        *MembersOnlyPage.override_translatable_fields,
        SynchronizedField("status"),
        TranslatableField("summary"),
        TranslatableField("body"),
    ]

    parent_page_types = ["groups.MembersAreaPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def proposal_content(self):
        """What a proposal copies: title, summary and body (raw stream data, compatible with public
        bodies, links to pages the public cannot see unwrapped)."""
        return {"title": self.title, "summary": self.summary, "body": public_links_only(list(self.body.raw_data))}

    def proposal_history(self):
        """Every earlier version, oldest first (see ``hub.history.import_history``)."""
        return proposal_history(self)


def is_members_only(page):
    """True for a page of a members-only type (a Page or its specific instance)."""
    return isinstance(page, Page) and issubclass(page.specific_class or Page, MembersOnlyPage)
