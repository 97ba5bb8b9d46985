"""The pages of working groups: the section, each group's public summary, and the members-only
area with its meetings and drafts."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from hub.blocks import BaseStreamBlock
from hub.localized import localized
from hub.models import BasePage, SectionPage
from partners.models import Person, attach_organisations

from ..blocks import ActionItemsBlock, MembersStreamBlock
from ..choices import TLP, TLP_DESCRIPTIONS, DraftStatus
from ..proposals import proposal_history, public_links_only
from ..views import handle_join, renew_calendar, serve_meetings_calendar, serve_summary
from .people import CalendarFeed, WorkingGroup


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
        InlinePanel("chair_people", label=_("Chair"), heading=_("Chairs")),
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
        chairs = [chair.person for chair in self.chair_people.select_related("person__organisation")]
        chairs = localized(chairs, self.locale, Person.objects.for_listing())
        context["chairs"] = attach_organisations(chairs, self.locale, request)
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
        InlinePanel("documents", label=_("Document"), heading=_("Documents")),
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


class MembersAreaItemPage(MembersOnlyPage):
    """Abstract base of the pages in a members' area (meetings, drafts): a leaf below the area,
    edited below the title and the sharing label."""

    parent_page_types = ["groups.MembersAreaPage"]
    subpage_types = []

    class Meta:
        abstract = True

    @staticmethod
    def item_panels(*panels):
        """The content panels of an item: title, sharing label, then ``panels``."""
        return [*BasePage.content_panels, FieldPanel("tlp"), *panels]


class MeetingPage(MembersAreaItemPage):
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

    content_panels = MembersAreaItemPage.item_panels(
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
    )
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


class DraftPage(MembersAreaItemPage):
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

    content_panels = MembersAreaItemPage.item_panels(FieldPanel("status"), FieldPanel("summary"), FieldPanel("body"))
    search_fields = [*BasePage.search_fields, index.SearchField("summary"), index.SearchField("body")]
    override_translatable_fields = [
        *MembersOnlyPage.override_translatable_fields,
        SynchronizedField("status"),
        TranslatableField("summary"),
        TranslatableField("body"),
    ]

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
