"""Shared models: the abstract base page every page type extends, and site-wide settings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from taggit.models import TagBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, PageQuerySet, PageViewRestriction, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from hub import memo
from hub.page_forms import BasePageForm
from hub.text import stems_text

STEMS_FIELD = "search_stems"
# Starts the stems in the index's body text (they are indexed last), so that the search can show
# the page's own text around a match without them. Invisible, and a word separator to tokenisers.
STEMS_MARK = "\u2063"


class HubPageQuerySet(PageQuerySet):
    """Wagtail's PageQuerySet whose ``public()``/``not_public()`` read the restricted sections from a
    per-generation memo (``hub.memo``) instead of querying every restriction each time."""

    def private_q(self):
        paths = memo.per_generation(
            ("restricted-paths",), lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        )
        q = Q()
        for path in paths:
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])


def public_pages():
    """Every live page outside restricted sections (``HubPageQuerySet.public``): ``Page.objects.live().public()``
    without a query for the restrictions."""
    return HubPageQuerySet(Page).live().public()


class BasePage(Page):
    """Abstract base for every page type: social sharing fields and the translation contract.

    Text is translated; the slug is synchronised so every locale keeps the URL structure of the
    English site (``/es/articles/<slug>/`` mirrors ``/en/articles/<slug>/``).
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("social image"),
        help_text=_("Shown when the page is shared; 1200×630 works best."),
    )
    social_text = models.CharField(_("social text"), max_length=255, blank=True)

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("social_text")], heading=_("Sharing")),
    ]

    override_translatable_fields = [
        SynchronizedField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("social_image"),
        TranslatableField("social_text"),
    ]

    search_fields = [*Page.search_fields, index.SearchField(STEMS_FIELD)]

    base_form_class = BasePageForm

    def parent_url(self, request):
        """The URL of this page's parent (a section index), kept per page-cache generation (``hub.memo``):
        details link back to it on every render without loading it."""
        parent_path = self.path[: -self.steplen]

        def compute():
            parent = Page.objects.filter(path=parent_path).first()
            return (parent.get_url(request) or "") if parent is not None else ""

        return memo.per_generation(("parent-url", parent_path, request.get_host() if request else ""), compute)

    def get_view_restrictions(self):
        """Wagtail's restrictions of this page and its ancestors (aliases resolved), whose ids are kept
        per page-cache generation (``hub.memo``): a page without any costs no query. Every change of a
        restriction, a page's place or its alias moves the generation on (``hub.invalidation``), and
        each request still checks the visitor against the restrictions (Wagtail's serve hook)."""
        restrictions = super().get_view_restrictions
        ids = memo.per_generation(
            ("view-restrictions", self.pk, self.path, self.alias_of_id),
            lambda: tuple(restrictions().values_list("pk", flat=True)),
        )
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)

    # The site search (hub.search): whether this page type is a result at all (index and utility
    # pages are not), and how much a match on it weighs against other types.
    show_in_site_search = True
    search_boost = 1.0
    # The columns the ranking reads (title, ``listing_summary``, ``search_boost``): the site search
    # ranks bare candidates carrying only these (``hub.search.candidate_pages``).
    search_ranking_fields = ("title", "alias_of", "search_description", "summary", "introduction", "hero_text")

    class Meta:
        abstract = True

    @classmethod
    def get_search_fields(cls):
        """The model's search fields with the stems last (see ``STEMS_MARK``)."""
        fields = super().get_search_fields()
        return sorted(fields, key=lambda field: field.field_name == STEMS_FIELD)

    @property
    def content_language(self):
        """The language the page's text is written in: an alias shows its untranslated source's."""
        return settings.LANGUAGE_CODE if self.alias_of_id else self.locale.language_code

    def search_stems(self):
        """Snowball stems of the page's searchable text in its own language, indexed beside the text.

        Both databases then match "guideline" with "guidelines" and "أمن" with "الأمن" (hub.text).
        """
        texts = [
            str(field.get_value(self) or "")
            for field in self.get_search_fields()
            if isinstance(field, index.SearchField) and field.field_name != STEMS_FIELD
        ]
        return STEMS_MARK + stems_text(" ".join(texts), self.content_language)

    @property
    def listing_summary(self):
        """The short text listings and search results show: the summary, introduction or SEO text."""
        for name in ("summary", "introduction", "search_description", "hero_text"):
            text = getattr(self, name, "")
            if text:
                return text
        return ""

    @property
    def listing_date(self):
        """The date a listing shows for the page (articles and events have one); None otherwise."""
        return None

    @property
    def type_label(self):
        """What kind of page this is, for a visitor (search results)."""
        return self._meta.verbose_name

    @property
    def meta_description(self):
        """What search engines and link previews show: the SEO description, the social text, else the summary."""
        text = self.search_description or self.social_text or self.listing_summary
        return Truncator(" ".join(text.split())).chars(160) if text else ""


class SectionPage(BasePage):
    """Abstract base for the top-level section pages (articles, events, partners, contributors,
    join): one per language under the home page, with an introduction."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1
    show_in_site_search = False  # an index or a form: the site search shows what it lists instead

    class Meta:
        abstract = True


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Contact addresses and disclosure details used across the site."""

    contact_email = models.EmailField(_("contact email"), default="info@securingsmartcities.org")
    board_email = models.EmailField(
        _("board email"),
        default="board@securingsmartcities.org",
        help_text=_("Receives membership applications and review notifications."),
    )
    security_contact = models.EmailField(
        _("security contact"),
        default="security@securingsmartcities.org",
        help_text=_("Published in /.well-known/security.txt for vulnerability reports."),
    )
    disclosure_policy = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("disclosure policy page"),
    )
    privacy_policy = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy page"),
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("board_email"),
        FieldPanel("security_contact"),
        FieldPanel("disclosure_policy"),
        FieldPanel("privacy_policy"),
    ]

    class Meta:
        verbose_name = _("site settings")


@register_snippet
class Topic(TagBase):
    """A topic (tag) shared by articles and events: one row and one slug for every language.

    Pages of every locale point at the same Topic, so ``?tag=<slug>`` filters work across
    translations. The visible label is translated separately (see ``TopicLabel``).

    Topics are site-wide, so the page editor offers only existing ones (``free_tagging = False``:
    a typed name that is not a topic yet is dropped); the Board creates topics as snippets.
    """

    free_tagging = False

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]


@register_snippet
class TopicLabel(TranslatableMixin, models.Model):
    """The visible, translatable label of a Topic in one locale.

    Topics stay one row with one slug (so filters and URLs are shared by every language); each
    locale gets its own label through wagtail-localize, like any other translatable snippet.
    The English label is created with the topic.
    """

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="labels", verbose_name=_("topic"))
    name = models.CharField(_("label"), max_length=100)

    panels = [FieldPanel("topic"), FieldPanel("name")]
    translatable_fields = [SynchronizedField("topic"), TranslatableField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic label")
        verbose_name_plural = _("topic labels")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["topic", "locale"], name="unique_topic_label_per_locale")]

    def __str__(self):
        return self.name


@register_snippet
class FooterText(TranslatableMixin, models.Model):
    """The short text in the site footer, translated like any snippet (one per locale)."""

    text = models.TextField(_("text"))

    panels = [FieldPanel("text")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer text")
        verbose_name_plural = _("footer text")

    def __str__(self):
        return self.text[:60]


class PeriodicJobState(models.Model):
    """When a periodic job (``hub.periodic``) last ran and when it is due, shared by every host.

    A host runs a job only after moving ``next_run_at`` and ``locked_until`` forward in one
    conditional UPDATE, so two schedulers on two hosts never run the same job twice.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_outcome = models.CharField(_("last outcome"), max_length=20, blank=True)
    last_message = models.TextField(_("last message"), blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.name
