"""Partner organisations, the people who contribute to the initiative, and membership applications."""

from django_countries import countries
from django_countries.fields import CountryField

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from hub import memo
from hub.blocks import BaseStreamBlock
from hub.cards import card_listing
from hub.localized import translations_by_key
from hub.models import BasePage, HubPageQuerySet, SectionPage

from .choices import ApplicationStatus, PartnerType
from .join import serve_join_page

PARTNERS_PER_PAGE = 24


def current_locale():
    """The Locale of the active language, or the default one."""
    return Locale.get_active()


# --- Organisations ------------------------------------------------------------------------


class PartnerIndexPage(SectionPage):
    """The directory of partner organisations (``/{lang}/partners/``), filterable by type and country."""

    subpage_types = ["partners.PartnerPage"]

    class Meta:
        verbose_name = _("partner directory")

    def get_context(self, request, *args, **kwargs):
        """The filtered, paginated directory; unknown filter values give an empty list, never an error."""
        context = super().get_context(request, *args, **kwargs)
        partner_type = request.GET.get("type", "")[:40]
        country = request.GET.get("country", "").upper()[:3]

        def country_choices():
            used = set(PartnerPage.objects.child_of(self).live().values_list("country", flat=True))
            return [(code, str(name)) for code, name in countries if code in used]

        page_obj, cards = card_listing(
            request,
            lambda: PartnerPage.objects.child_of(self).live().filter_by(partner_type, country).order_by("title"),
            per_page=PARTNERS_PER_PAGE,
            key=(self.pk, partner_type, country),
            template="partners/includes/partner_card.html",
            name="partner",
            load=lambda ids: PartnerPage.objects.filter(pk__in=ids).for_listing(),
        )
        context.update(
            {
                "partners": page_obj,
                "cards": cards,
                "selected_type": partner_type,
                "selected_country": country,
                "type_choices": PartnerType.choices,
                # Names sorted in the visitor's language; kept per generation (hub.memo).
                "country_choices": memo.per_generation(
                    ("partner-countries", self.pk, translation.get_language()), country_choices
                ),
            }
        )
        return context


class PartnerPageTag(TaggedItemBase):
    """A focus topic of a partner organisation (shared ``hub.Topic`` tags)."""

    tag = models.ForeignKey("hub.Topic", related_name="tagged_partner_pages", on_delete=models.CASCADE)
    content_object = ParentalKey("partners.PartnerPage", related_name="tagged_items", on_delete=models.CASCADE)


class PartnerPageQuerySet(HubPageQuerySet):
    """Query helpers for organisation listings."""

    def for_listing(self):
        """What a directory card needs, in a fixed number of queries (logo renditions prefetched)."""
        return (
            self.defer_streamfields()
            .select_related("logo", "locale")
            .prefetch_related("logo__renditions")
            .order_by("title")
        )

    def filter_by(self, partner_type="", country=""):
        """Filter by type and ISO country code; values that are not valid match nothing."""
        queryset = self
        if partner_type:
            queryset = queryset.filter(partner_type=partner_type)
        if country:
            queryset = queryset.filter(country=country)
        return queryset

    def supporting(self):
        """Supporting organisations."""
        return self.filter(partner_type=PartnerType.SUPPORTING)


PartnerPageManager = PageManager.from_queryset(PartnerPageQuerySet)


class PartnerPage(BasePage):
    """One organisation's public profile, editable by that organisation's own partner group."""

    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    partner_type = models.CharField(_("type"), max_length=32, choices=PartnerType.choices, db_index=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    website = models.URLField(_("website"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))
    topics = ClusterTaggableManager(
        through=PartnerPageTag, blank=True, verbose_name=_("focus topics"), related_name="partner_pages"
    )

    objects = PartnerPageManager()

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("logo"),
        FieldPanel("partner_type"),
        FieldPanel("country"),
        FieldPanel("website"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("topics"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("summary"), index.SearchField("body")]
    # Profiles share boilerplate ("a security company contributing research..."): below the guidance.
    search_boost = 0.6
    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        SynchronizedField("logo"),
        SynchronizedField("partner_type"),
        SynchronizedField("country"),
        SynchronizedField("website"),
        SynchronizedField("topics"),
    ]

    parent_page_types = ["partners.PartnerIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def get_context(self, request, *args, **kwargs):
        """The organisation's people in the visitor's language, and its topics."""
        context = super().get_context(request, *args, **kwargs)
        context["people"] = list(
            Person.objects.localized(self.locale)
            .filter(organisation__translation_key=self.translation_key)
            .select_related("photo")
            .prefetch_related("photo__renditions")
            .board_first()
        )
        context["topics"] = list(self.topics.all())
        return context


# --- People -------------------------------------------------------------------------------


class LinkBlock(blocks.StructBlock):
    """A labelled link (profile, personal site, publication list)."""

    label = blocks.CharBlock(label=_("Label"), max_length=80)
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"


class PersonQuerySet(models.QuerySet):
    """Query helpers for people listings."""

    def localized(self, locale=None):
        """People in ``locale``, plus the source-language version of those not translated into it."""
        locale = locale or current_locale()
        default = Locale.get_default()
        if locale.pk == default.pk:
            return self.filter(locale=locale)
        translated = Person.objects.filter(locale=locale).values("translation_key")
        return self.filter(Q(locale=locale) | (Q(locale=default) & ~Q(translation_key__in=translated)))

    def board_first(self):
        """Board members first, then everyone else, each in editorial order."""
        return self.order_by("-is_board_member", "sort_order", "name")

    def for_listing(self):
        """What a contributor card needs: organisation name and URL data, photo renditions."""
        return self.select_related("organisation", "photo").prefetch_related("photo__renditions")


@register_snippet
class Person(TranslatableMixin, index.Indexed, Orderable):
    """A contributor or researcher; board members are flagged. Name synchronised, role and bio translated."""

    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "partners.PartnerPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("organisation profile"),
    )
    organisation_name = models.CharField(
        _("organisation name"), max_length=200, blank=True, help_text=_("When the organisation has no profile.")
    )
    is_board_member = models.BooleanField(_("board member"), default=False)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    bio = models.TextField(_("short bio"), blank=True)
    links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("links"))

    objects = PersonQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        MultiFieldPanel([FieldPanel("organisation"), FieldPanel("organisation_name")], heading=_("Organisation")),
        FieldPanel("is_board_member"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("links"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("role"), index.FilterField("locale_id")]
    translatable_fields = [
        SynchronizedField("name"),
        TranslatableField("role"),
        SynchronizedField("organisation"),
        TranslatableField("organisation_name"),
        SynchronizedField("is_board_member"),
        SynchronizedField("photo"),
        TranslatableField("bio"),
        SynchronizedField("links"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    @property
    def organisation_label(self):
        """The organisation as shown to visitors: its profile's title (in the visitor's language once
        ``attach_organisations`` has run), or the free text."""
        page = self.organisation_text_source
        return self.organisation_name if page is self else page.title

    @property
    def organisation_text_source(self):
        """What the organisation line's text comes from, for its ``lang`` attributes: the profile
        ``attach_organisations`` found (the visitor's language, else the source), the linked
        profile, or the person (free text)."""
        page = getattr(self, "organisation_page", None)
        if page is None and self.organisation_id:
            page = self.organisation
        return page if page is not None else self


# --- Contributors and joining -------------------------------------------------------------


class ContributorsPage(SectionPage):
    """Every contributor (``/{lang}/contributors/``): board members first and marked; ``?board=1`` filters."""

    subpage_types = []

    class Meta:
        verbose_name = _("contributors page")

    def get_context(self, request, *args, **kwargs):
        """People of this page's language, with their organisation profile in the same language."""
        context = super().get_context(request, *args, **kwargs)
        board_only = request.GET.get("board") == "1"
        people = Person.objects.localized(self.locale).for_listing().board_first()
        if board_only:
            people = people.filter(is_board_member=True)
        people = list(people)
        context["people"] = people
        context["board"] = [person for person in people if person.is_board_member]
        context["others"] = [person for person in people if not person.is_board_member]
        context["board_only"] = board_only
        attach_organisations(people, self.locale, request)
        return context

    @classmethod
    def url_in(cls, locale):
        """The URL of ``locale``'s live contributors page, or '' when there is none.

        People are linked as ``<url>#person-<pk>``; with no page there is nothing to link to.
        """

        def compute():
            page = cls.objects.live().filter(locale=locale).first()
            return page.url if page is not None else ""

        return memo.per_generation(("contributors-url", getattr(locale, "pk", locale)), compute)


def attach_organisations(people, locale, request=None):
    """Give each person with an organisation profile its version in ``locale`` (one query for all).

    ``person.organisation_page`` is that version, or the person's own profile when it has none (shown
    marked with its language); ``person.organisation_url`` is the version's URL, '' without one.
    Returns ``people``.
    """
    pages = translations_by_key(
        [person.organisation for person in people if person.organisation_id],
        locale,
        PartnerPage.objects.live().only("id", "title", "url_path", "translation_key", "locale_id", "alias_of_id"),
    )
    for person in people:
        if not person.organisation_id or person.organisation is None:
            continue
        version = pages.get(person.organisation.translation_key)
        person.organisation_page = version or person.organisation
        person.organisation_url = version.get_url(request) if version is not None else ""
    return people


class JoinPage(SectionPage):
    """The membership application form (``/{lang}/join/``), protected against spam without third parties."""

    thank_you_text = models.TextField(
        _("thank-you text"), blank=True, help_text=_("Shown after an application is sent.")
    )

    content_panels = [*SectionPage.content_panels, FieldPanel("thank_you_text")]
    subpage_types = []

    class Meta:
        verbose_name = _("join page")

    def serve(self, request, *args, **kwargs):
        """Show the form, or handle a submission (see ``partners.join``)."""
        return serve_join_page(self, request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        """Previews show the empty form."""
        return super().serve(request)

    def create_application(self, **fields):
        """Store an application sent from this page (``partners.join`` checks it first)."""
        return MembershipApplication.objects.create(**fields)


class MembershipApplicationQuerySet(models.QuerySet):
    """Query helpers for applications."""

    def declined_before(self, moment):
        """Declined applications last changed before ``moment`` (for the retention purge)."""
        return self.filter(status=ApplicationStatus.DECLINED, updated_at__lt=moment)


class MembershipApplication(models.Model):
    """An organisation's application to join, sent from the join page; the board accepts or declines it."""

    organisation = models.CharField(_("organisation"), max_length=200)
    partner_type = models.CharField(_("type"), max_length=32, choices=PartnerType.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("email"))
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    consent = models.BooleanField(_("consent to store the data"), default=False)
    language = models.CharField(_("language"), max_length=12, default=settings.LANGUAGE_CODE, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW, db_index=True
    )
    partner_page = models.ForeignKey(
        "partners.PartnerPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner profile"),
        editable=False,
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = MembershipApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        permissions = [("invite_partner", _("Can invite partner accounts"))]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"
