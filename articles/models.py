"""Research, news and guidelines: the article library, its topics, downloads and feeds."""

from django.db import models
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from hub.blocks import BaseStreamBlock
from hub.cards import card_listing
from hub.localized import localized, translations_by_key
from hub.models import BasePage, HubPageQuerySet, SectionPage, Topic
from hub.registry import HeadLink
from partners.models import ContributorsPage, PartnerPage, Person

from .feeds import ArticleAtomFeed, ArticleRssFeed

ARTICLES_PER_PAGE = 10


def today():
    """Today's date where the site is (the default publication date of a new article)."""
    return timezone.localdate()


FEED_LENGTH = 20


class ArticleKind(models.TextChoices):
    """What an article is: original research, news from the initiative, or published guidance."""

    RESEARCH = "research", _("Research")
    NEWS = "news", _("News")
    GUIDELINE = "guideline", _("Guideline")


class ArticlePageQuerySet(HubPageQuerySet):
    """Query logic of the article library, shared by the listing, the feeds and related articles."""

    def published(self):
        """Live articles visible to anonymous visitors."""
        return self.live().public()

    def in_locale(self, locale):
        """Articles of ``locale``'s tree: its translations, and (as aliases) the articles not translated
        into it yet, which templates mark as shown in their own language (README, "Translation policy")."""
        return self.filter(locale=locale)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def tagged(self, slug):
        """Articles on the topic with this slug."""
        return self.filter(tagged_items__tag__slug=slug)

    def newest_first(self):
        return self.order_by("-date", "-first_published_at", "-pk")

    def for_listing(self):
        """Everything a listing shows, in a fixed number of queries: topics and authors prefetched."""
        return (
            self.defer_streamfields()
            .select_related("hero_image")
            .prefetch_related(
                "hero_image__renditions",
                # In the order the editor added them (a stable order: the same page after a restore).
                Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag").order_by("pk")),
                Prefetch("authors", queryset=ArticleAuthor.objects.select_related("person")),
            )
        )

    def for_home(self):
        """What a home page card shows (kind, date, title, summary, image), in a fixed number of queries."""
        return self.defer_streamfields().select_related("hero_image").prefetch_related("hero_image__renditions")


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


def attach_authors(articles, locale):
    """Give each article an ``author_list`` of Persons in ``locale``, with one query for all of them."""
    articles = list(articles)
    people = [author.person for article in articles for author in article.authors.all()]
    versions = translations_by_key(people, locale)
    for article in articles:
        authors = [author.person for author in article.authors.all()]
        article.author_list = [versions.get(person.translation_key, person) for person in authors]
    return articles


class ArticleIndexPage(RoutablePageMixin, SectionPage):
    """The article library (``/{lang}/articles/``): newest first, filtered by kind and topic, with feeds."""

    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = _("article index")

    def articles(self):
        """Published articles of this page's locale, newest first."""
        return ArticlePage.objects.published().in_locale(self.locale).newest_first()

    @path("")
    def listing(self, request):
        """The filtered, paginated listing. Unknown filters are reported, never an error."""
        kinds = dict(ArticleKind.choices)
        kind = request.GET.get("kind", "")
        unknown_kind = bool(kind) and kind not in kinds
        tag_slug = request.GET.get("tag", "")[:100]
        topic = Topic.objects.filter(slug=tag_slug).first() if tag_slug else None

        def articles():
            found = self.articles()
            if kind and not unknown_kind:
                found = found.of_kind(kind)
            return found.tagged(tag_slug) if tag_slug else found

        contributors_url = ContributorsPage.url_in(self.locale)
        page_obj, cards = card_listing(
            request,
            articles,
            per_page=ARTICLES_PER_PAGE,
            key=(self.pk, "" if unknown_kind else kind, tag_slug),
            template="articles/includes/article_card.html",
            name="article",
            load=lambda ids: attach_authors(ArticlePage.objects.filter(pk__in=ids).for_listing(), self.locale),
            context={"index_page": self, "contributors_url": contributors_url},
            variant=(self.pk, contributors_url),
        )
        filters = {}
        if kind and not unknown_kind:
            filters["kind"] = kind
        if tag_slug:
            filters["tag"] = tag_slug
        context = self.get_context(request)
        context.update(
            {
                "page_obj": page_obj,
                "cards": cards,
                "kinds": ArticleKind.choices,
                "current_kind": "" if unknown_kind else kind,
                "unknown_kind": unknown_kind,
                "tag_slug": tag_slug,
                "topic": topic,
                "filters": filters,
            }
        )
        return TemplateResponse(request, self.get_template(request), context)

    @classmethod
    def feed_links(cls, language_code):
        """The RSS and Atom feeds of the ``language_code`` library, for every page's head (``hub.registry``)."""
        index = cls.objects.live().filter(locale__language_code=language_code).first()
        url = index.get_url() if index is not None else None
        if not url:
            return []
        return [
            HeadLink("application/rss+xml", f"{index.title} (RSS)", f"{url}feed.rss"),
            HeadLink("application/atom+xml", f"{index.title} (Atom)", f"{url}feed.atom"),
        ]

    def feed_items(self, limit=FEED_LENGTH):
        """The newest articles for the feeds, authors in this locale attached."""
        return attach_authors(self.articles().for_listing()[:limit], self.locale)

    @path("feed.rss/", name="feed_rss")
    def feed_rss(self, request):
        return ArticleRssFeed(self)(request)

    @path("feed.atom/", name="feed_atom")
    def feed_atom(self, request):
        return ArticleAtomFeed(self)(request)


class ArticlePageTag(TaggedItemBase):
    """Links an article to a shared Topic; the same topics serve every language."""

    tag = models.ForeignKey("hub.Topic", on_delete=models.CASCADE, related_name="tagged_article_pages")
    content_object = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(BasePage):
    """A research paper, news item or guideline, with ordered authors, topics and downloads."""

    kind = models.CharField(_("kind"), max_length=16, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    date = models.DateField(_("publication date"), db_index=True, default=today)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences for listings and feeds."))
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("topics"))
    related_partners = ParentalManyToManyField(
        "partners.PartnerPage", blank=True, related_name="+", verbose_name=_("related partners")
    )

    objects = ArticlePageManager()

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("date")], heading=_("Publication")),
        InlinePanel("authors", label=_("Author"), heading=_("Authors")),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("downloads", label=_("Download"), heading=_("Downloads")),
        FieldPanel("tags"),
        FieldPanel("related_partners"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("summary"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]
    # The guidance is what most visitors search for: guidelines first, then research, then news.
    SEARCH_BOOSTS = {ArticleKind.GUIDELINE: 1.4, ArticleKind.RESEARCH: 1.25, ArticleKind.NEWS: 1.15}
    search_ranking_fields = (*BasePage.search_ranking_fields, "kind")  # search_boost reads it
    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        SynchronizedField("kind"),
        SynchronizedField("date"),
        SynchronizedField("hero_image"),
        SynchronizedField("tagged_items"),
        SynchronizedField("authors"),
        SynchronizedField("related_partners"),
    ]

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def search_boost(self):
        return self.SEARCH_BOOSTS.get(self.kind, 1.0)

    @property
    def listing_date(self):
        return self.date

    @property
    def type_label(self):
        return self.get_kind_display()

    def related_articles(self, tag_ids, limit=3):
        """Newest published articles of this locale sharing one of ``tag_ids`` with this one (one query)."""
        if not tag_ids:
            return ArticlePage.objects.none()
        return (
            ArticlePage.objects.published()
            .in_locale(self.locale)
            .filter(tagged_items__tag_id__in=tag_ids)
            .exclude(translation_key=self.translation_key)
            .distinct()
            .for_home()
            .newest_first()[:limit]
        )

    def localised_partners(self):
        """Related partner pages in this page's locale when translated (one query for the set)."""
        return localized(self.related_partners.all(), self.locale, PartnerPage.objects.live())

    def get_context(self, request, *args, **kwargs):
        """What the article shows. Lazy: read only when the template's public fragment is not kept
        (``hub_tags.public_fragment``), so a kept article costs none of these queries."""
        context = super().get_context(request, *args, **kwargs)

        def authors():
            people = [author.person for author in self.authors.select_related("person")]
            return localized(people, self.locale, Person.objects.for_listing())

        # Read through the cluster relations so previews of unsaved changes show them too.
        topics = SimpleLazyObject(lambda: [item.tag for item in self.tagged_items.select_related("tag").order_by("pk")])
        context.update(
            {
                "author_list": SimpleLazyObject(authors),
                "topics": topics,
                "downloads": SimpleLazyObject(lambda: list(self.downloads.select_related("document"))),
                "related_articles": lambda: list(self.related_articles([topic.pk for topic in topics])),
                "partners": SimpleLazyObject(self.localised_partners),
                "contributors_url": ContributorsPage.url_in(self.locale),
                "index_url": self.parent_url(request),
            }
        )
        return context


class ArticleAuthor(Orderable):
    """One author of an article, in order. Synchronised: translations keep the same people."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey("partners.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")


class ArticleDownload(TranslatableMixin, Orderable):
    """A document attached to an article. Translatable, so a translation may point at its own file."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="downloads")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("document")
    )
    title = models.CharField(
        _("link text"),
        max_length=200,
        blank=True,
        help_text=_("What the link says, e.g. “Guidelines”; translated with the page. Shown as “Download” when empty."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]
    translatable_fields = [SynchronizedField("document"), TranslatableField("title")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("download")
        verbose_name_plural = _("downloads")

    @property
    def label(self):
        """The link text in the page's language (the document's own title is not translated)."""
        return self.title
