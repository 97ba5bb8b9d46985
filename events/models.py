"""Events: an index of upcoming and past events, event pages, and their calendars (iCalendar)."""

from collections import namedtuple
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager
from wagtail.search import index
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail_localize.fields import SynchronizedField, TranslatableField

from hub import memo
from hub.blocks import BaseStreamBlock
from hub.cards import card_listing
from hub.extensions import ExtensiblePageMixin
from hub.localized import localized
from hub.models import BasePage, HubPageQuerySet, SectionPage, Topic
from partners.models import PartnerPage, Person

from .calendar import calendar_response, event_json_ld
from .choices import EventFormat, EventStatus
from .forms import EventPageForm
from .timezones import validate_timezone

# A topic as the listing's filter shows it (plain data, shared by the threads of a process: hub.memo).
TopicChoice = namedtuple("TopicChoice", ["pk", "slug", "name"])

EVENTS_PER_PAGE = 12
CALENDAR_PAST_DAYS = 90
CALENDAR_FUTURE_DAYS = 365
UID_DOMAIN = "securingsmartcities.org"


class EventQuerySet(HubPageQuerySet):
    """Event queries: an event is upcoming until it ends."""

    def upcoming(self, now=None):
        """Events that have not ended yet (including those in progress), soonest first."""
        now = now or timezone.now()
        return self.filter(end__gte=now).order_by("start", "pk")

    def past(self, now=None):
        """Events that have ended, most recent first."""
        now = now or timezone.now()
        return self.filter(end__lt=now).order_by("-start", "-pk")

    def for_calendar(self, now=None):
        """What the subscribable calendar carries: a window from 90 days ago to a year ahead.

        Bounded both ways so the file does not grow with the years of events behind (or far
        ahead of) it; every event keeps its own ``event.ics`` whenever it takes place.
        """
        now = now or timezone.now()
        return self.filter(
            end__gte=now - timedelta(days=CALENDAR_PAST_DAYS), start__lte=now + timedelta(days=CALENDAR_FUTURE_DAYS)
        ).order_by("start", "pk")

    def for_listing(self):
        """What an event card shows, in a fixed number of queries: topics, image renditions."""
        return (
            self.defer_streamfields()
            .select_related("hero_image")
            .prefetch_related(
                # In the order the editor added them (a stable order: the same page after a restore).
                Prefetch("tagged_items", queryset=EventPageTag.objects.select_related("tag").order_by("pk")),
                "hero_image__renditions",
            )
        )

    def in_format(self, value):
        """Only events of this format; an unknown value filters nothing (it is ignored)."""
        if value in EventFormat.values:
            return self.filter(event_format=value)
        return self

    def tagged(self, slug):
        """Only events with this topic slug; an empty slug filters nothing."""
        if slug:
            return self.filter(tagged_items__tag__slug=slug).distinct()
        return self


EventPageManager = PageManager.from_queryset(EventQuerySet)


class EventIndexPage(RoutablePageMixin, SectionPage):
    """The events listing (``/{lang}/events/``): upcoming, past, and the subscribable calendar."""

    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("event index")

    def events(self):
        """Live, public events under this index."""
        return EventPage.objects.child_of(self).live().public()

    def _listing(self, request, select, past):
        """Render a filtered, paginated listing of the events ``select()`` returns; unknown filters
        are ignored, never an error."""
        event_format = request.GET.get("format", "")
        if event_format not in EventFormat.values:
            event_format = ""
        tag = request.GET.get("tag", "")[:100]
        listing_url = self.get_url(request) + self.reverse_subpage("past_events" if past else "upcoming_events")
        events, cards = card_listing(
            request,
            lambda: select().in_format(event_format).tagged(tag),
            per_page=EVENTS_PER_PAGE,
            key=(self.pk, past, event_format, tag),
            template="events/includes/event_card.html",
            name="event",
            load=lambda ids: EventPage.objects.filter(pk__in=ids).for_listing(),
            context={"index_url": listing_url},
            variant=(listing_url,),
        )
        context = self.get_context(request)
        context.update(
            {
                "events": events,
                "cards": cards,
                "listing_url": listing_url,
                "showing_past": past,
                "event_format": event_format,
                "tag": tag,
                "formats": EventFormat.choices,
                "topics": self.topics(),
            }
        )
        return self.render(request, context_overrides=context, template="events/event_index_page.html")

    def topics(self):
        """Topics used by this locale's live events, for the filter: ``(pk, slug, name)`` of each,
        by name (one query, kept per page-cache generation: ``hub.memo``)."""

        def compute():
            events = EventPage.objects.child_of(self).live().public()
            used = Topic.objects.filter(pk__in=EventPageTag.objects.filter(content_object__in=events).values("tag_id"))
            return [TopicChoice(*values) for values in used.order_by("name").values_list("pk", "slug", "name")]

        return memo.per_generation(("event-topics", self.pk), compute)

    @path("")
    def upcoming_events(self, request):
        """Upcoming events, soonest first."""
        return self._listing(request, lambda: self.events().upcoming(), past=False)

    @path("past/")
    def past_events(self, request):
        """Past events, newest first."""
        return self._listing(request, lambda: self.events().past(), past=True)

    @path("calendar.ics/")
    def calendar(self, request):
        """The subscribable calendar of this locale: events from 90 days ago to a year ahead (``for_calendar``)."""
        events = self.events().for_listing().for_calendar().prefetch_related("organisers__partner")
        return calendar_response(request, list(events), filename="calendar.ics")


class EventPageTag(TaggedItemBase):
    """Links an event to a shared topic."""

    content_object = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey("hub.Topic", on_delete=models.CASCADE, related_name="tagged_event_pages")


class SessionBlock(blocks.StructBlock):
    """One agenda item; times are in the event's own time zone."""

    day = blocks.DateBlock(required=False, label=_("Day"), help_text=_("For events over several days."))
    start_time = blocks.TimeBlock(label=_("Start time"), help_text=_("In the event's time zone."))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    speaker_names = blocks.CharBlock(required=False, label=_("Speakers (text)"), max_length=255)
    people = blocks.ListBlock(SnippetChooserBlock("partners.Person"), default=[], label=_("Speakers (people)"))

    class Meta:
        icon = "time"
        label = _("Session")


class AgendaBlock(blocks.StreamBlock):
    """An event's agenda: a list of sessions."""

    session = SessionBlock()


class EventPage(ExtensiblePageMixin, RoutablePageMixin, BasePage):
    """One event: when and where (stored in UTC, entered in its own time zone), who, and its calendar file.

    Other apps add routes, editor tabs and page sections through ``hub.extensions`` (registration
    for events, for instance), so this app needs to know nothing about them.
    """

    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), db_index=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("The IANA time zone the event takes place in, e.g. Europe/Madrid."),
    )
    event_format = models.CharField(
        _("format"), max_length=16, choices=EventFormat.choices, default=EventFormat.IN_PERSON, db_index=True
    )
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=120, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("Shown on the event page and in listings; 16:9 works best."),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))
    agenda = StreamField(AgendaBlock(), blank=True, verbose_name=_("agenda"))
    tags = ClusterTaggableManager(through=EventPageTag, blank=True, verbose_name=_("topics"))
    # Rises with every publication; iCalendar clients use it to replace their copy.
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)

    objects = EventPageManager()
    base_form_class = EventPageForm

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("timezone"),
                FieldPanel("start_local"),
                FieldPanel("end_local"),
                FieldPanel("status"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("event_format"),
                FieldPanel("venue_name"),
                FieldPanel("address"),
                FieldPanel("city"),
                FieldPanel("country"),
                FieldPanel("online_url"),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [FieldPanel("registration_url"), FieldPanel("registration_deadline_local")], heading=_("Registration")
        ),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("speakers", label=_("Speaker"), heading=_("Speakers")),
        InlinePanel("organisers", label=_("Organiser"), heading=_("Organisers")),
        FieldPanel("agenda"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("city"),
        index.AutocompleteField("summary"),
        index.FilterField("start"),
        index.FilterField("end"),
    ]
    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        SynchronizedField("start"),
        SynchronizedField("end"),
        SynchronizedField("timezone"),
        SynchronizedField("event_format"),
        SynchronizedField("status"),
        TranslatableField("venue_name"),
        TranslatableField("address"),
        TranslatableField("city"),
        TranslatableField("country"),
        SynchronizedField("online_url"),
        SynchronizedField("registration_url"),
        SynchronizedField("registration_deadline"),
        TranslatableField("summary"),
        SynchronizedField("hero_image"),
        TranslatableField("body"),
        TranslatableField("agenda"),
        SynchronizedField("tagged_items"),
        SynchronizedField("speakers"),
        SynchronizedField("organisers"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def with_content_json(self, content):
        """Keep the stored sequence when a revision is restored: it counts publications, not edits."""
        page = super().with_content_json(content)
        if self.pk:
            # Read it from the database: this instance may be a stale copy made before the last publication.
            stored = EventPage.objects.filter(pk=self.pk).values_list("sequence", flat=True).first()
            page.sequence = stored if stored is not None else self.sequence
        return page

    search_boost = 1.1

    @property
    def listing_date(self):
        return self.local_start

    # --- Time ----------------------------------------------------------------------------------
    @property
    def zone(self):
        """The event's time zone (UTC when the stored name is unknown)."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    @property
    def local_start(self):
        return self.start.astimezone(self.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.zone)

    @property
    def is_multi_day(self):
        return self.local_start.date() != self.local_end.date()

    @staticmethod
    def utc_offset_label(moment):
        """``UTC+01:00`` style label for an aware datetime."""
        offset = moment.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        hours, minutes = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}:{minutes:02d}"

    @property
    def start_offset(self):
        return self.utc_offset_label(self.local_start)

    @property
    def end_offset(self):
        return self.utc_offset_label(self.local_end)

    def is_past(self, now=None):
        return self.end < (now or timezone.now())

    def is_in_progress(self, now=None):
        now = now or timezone.now()
        return self.start <= now <= self.end

    def registration_open(self, now=None):
        """Registration is open while there is a link, the event has not ended, and the deadline has not passed."""
        now = now or timezone.now()
        if not self.registration_url or self.status == EventStatus.CANCELLED or self.is_past(now):
            return False
        return self.registration_deadline is None or now <= self.registration_deadline

    @property
    def local_registration_deadline(self):
        return self.registration_deadline.astimezone(self.zone) if self.registration_deadline else None

    # --- People and places -----------------------------------------------------------------------
    @property
    def has_venue(self):
        return self.event_format in (EventFormat.IN_PERSON, EventFormat.HYBRID)

    @property
    def has_online(self):
        return self.event_format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def location_text(self):
        """One line for calendars: venue, address, city, country; or the online link."""
        parts = [self.venue_name, self.address, self.city, self.country] if self.has_venue else []
        text = ", ".join(part for part in parts if part)
        if self.has_online and self.online_url:
            text = f"{text} / {self.online_url}" if text else self.online_url
        return text

    @cached_property
    def speaker_people(self):
        """Speakers in order, each in this page's language when translated (two queries in all)."""
        people = [speaker.person for speaker in self.speakers.all().select_related("person")]
        return localized(people, self.locale_id, Person.objects.for_listing())

    @cached_property
    def organiser_pages(self):
        """Organisers in order, each as this language's live version when there is one (two queries)."""
        partners = [organiser.partner for organiser in self.organisers.all().select_related("partner")]
        return localized(partners, self.locale_id, PartnerPage.objects.live())

    # --- Calendar --------------------------------------------------------------------------------
    @property
    def ical_uid(self):
        """Stable over edits and identical in every translation."""
        return f"{self.translation_key}@{UID_DOMAIN}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            {
                "registration_open": self.registration_open(now),
                "is_past": self.is_past(now),
                "in_progress": self.is_in_progress(now),
                # Called by the template only when its public fragment is not kept (hub_tags.public_fragment).
                "json_ld": lambda: event_json_ld(self, request),
                "topics": list(self.tags.all()),
                "index_url": self.parent_url(request),
            }
        )
        return context

    @path("")
    def event(self, request):
        """The event page itself."""
        return self.render(request)

    @path("event.ics/")
    def event_calendar(self, request):
        """This event alone as an iCalendar file (a private event's is a 404: see ``wagtail_hooks``)."""
        return calendar_response(request, [self], filename=f"{self.slug}.ics")


class EventSpeaker(Orderable):
    """A speaker at an event (a Person; shown in the visitor's language when translated)."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")


class EventOrganiser(Orderable):
    """An organisation organising an event."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="organisers")
    partner = models.ForeignKey(PartnerPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation"))

    panels = [FieldPanel("partner")]

    class Meta(Orderable.Meta):
        verbose_name = _("organiser")
