"""Partner organisations and the people who contribute to the initiative."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from hub.blocks import BaseStreamBlock
from hub.models import BasePage


class PartnerType(models.TextChoices):
    """The kinds of organisation the initiative works with."""

    CITY_AUTHORITY = "city", _("City authority")
    SECURITY_RESEARCH = "research", _("Security research")
    SECURITY_VENDOR = "security-vendor", _("Security vendor")
    TECHNOLOGY_VENDOR = "technology-vendor", _("Equipment or software vendor")
    SUPPORTING = "supporting", _("Supporting organisation")


class PartnerIndexPage(BasePage):
    """The directory of partner organisations (``/{lang}/partners/``)."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["partners.PartnerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("partner directory")


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
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True, help_text=_("ISO 3166 code"))
    website = models.URLField(_("website"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("logo"),
        FieldPanel("partner_type"),
        FieldPanel("country"),
        FieldPanel("website"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("summary"), index.SearchField("body")]
    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        SynchronizedField("logo"),
        SynchronizedField("partner_type"),
        SynchronizedField("country"),
        SynchronizedField("website"),
    ]

    parent_page_types = ["partners.PartnerIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("partner organisation")


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

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("organisation_name"),
        FieldPanel("is_board_member"),
        FieldPanel("photo"),
        FieldPanel("bio"),
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
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name
