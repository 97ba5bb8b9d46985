"""Site search: the work first, a highlighted snippet for every result, filters by type and topic.

How a query is answered (README, "Search"):

1. The search backend (Wagtail's database backend, on SQLite or PostgreSQL) finds the candidate
   pages of the active language: published, public, of a page type shown in the site search (index
   and utility pages are not), matching any of the query's words or their Snowball stems. Every
   page indexes its own stems (``BasePage.search_stems``), so matching is per language on both
   databases; a one-word query also goes through the backend's autocomplete (prefix)
   search, so ``guidel`` finds "Guidelines".
2. The candidates are ranked here, the same on every database: an exact title first, then how much
   of the query the title, the summary and the text hold, weighted by the page type's
   ``search_boost`` (guidelines above research and news, partner profiles last) and the backend's
   own relevance order. Untranslated pages (aliases, shown in their source language) come after
   the visitor's language.
3. Editors' picks (Wagtail's search promotions) come first, and the sections feature apps add
   through ``hub.registry`` (people) follow the first page of results.

Every step is a fixed number of queries, whatever the amount of content.
"""

import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Q
from django.db.models.base import ModelState
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from taggit.models import TaggedItemBase
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search.utils import normalise_query_string

from hub import memo, ratelimit
from hub.labels import active_locale, topic_labels
from hub.models import STEMS_MARK, BasePage, Topic, public_pages
from hub.pagination import paginate
from hub.registry import search_providers
from hub.text import Query, highlight

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
# How many of the backend's best matches are ranked here; the rest are too weak to show.
CANDIDATES = 100

# Characters SQLite's full-text query syntax gives a meaning to; searching for them is never useful.
FTS_SYNTAX = set('"*():^{}[]+')

# Weights of the ranking (see the module docstring).
EXACT_TITLE = 100.0
TITLE = 10.0
SUMMARY = 4.0
TEXT = 2.0
BACKEND_ORDER = 1.5
UNTRANSLATED = 0.8


def clean_query(raw):
    """A searchable query: control characters and full-text syntax removed, whitespace collapsed, length capped."""
    text = "".join(" " if unicodedata.category(char)[0] in "CZ" or char in FTS_SYNTAX else char for char in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def searchable_models():
    """Page types the site search shows, in a stable order (their ``show_in_site_search``)."""
    models = [model for model in get_page_models() if issubclass(model, BasePage) and model.show_in_site_search]
    return sorted(models, key=lambda model: model._meta.label)


def type_choices(locale):
    """``[(value, label)]`` of the type filter: the page types the search shows that ``locale`` has
    published, public pages of (members-only page types never appear). One query."""
    models = searchable_models()

    def compute():
        used = set(public_pages().filter(locale=locale).type(*models).values_list("content_type", flat=True).distinct())
        return [
            (model._meta.model_name, str(model._meta.verbose_name_plural))
            for model in models
            if ContentType.objects.get_for_model(model).pk in used
        ]

    # Kept per page-cache generation (hub.memo): a publish moves it on.
    return memo.per_generation(("search-types", locale.pk, translation.get_language()), compute)


def _tagged_with(slug):
    """A Q for pages tagged with the topic ``slug``, through every tag model pointing at ``Topic``."""
    condition = Q(pk__in=[])
    for relation in Topic._meta.related_objects:
        through = relation.related_model
        if issubclass(through, TaggedItemBase):
            condition |= Q(pk__in=through.objects.filter(tag__slug=slug).values("content_object_id"))
    return condition


def base_queryset(locale, page_type="", topic=""):
    """Published, public pages of ``locale`` of the searchable types, filtered by type and topic."""
    models = [model for model in searchable_models() if not page_type or model._meta.model_name == page_type]
    pages = public_pages().filter(locale=locale).type(*models)
    if topic:
        pages = pages.filter(_tagged_with(topic))
    return pages


def _index_text_field():
    """The index's plain-text body column on this database."""
    return "index_entries__body_text" if connection.vendor == "postgresql" else "index_entries__body"


@dataclass
class Result:
    """One search result: the page, its score and what the result list shows.

    While ranking, ``page`` is a bare stand-in of the page (``candidate_pages``); the results shown
    get the real page."""

    page: object
    score: float = 0.0
    text: str = ""
    snippet: str = ""
    title: str = ""
    untranslated: bool = False
    language: str = ""
    extra: dict = field(default_factory=dict)


def _pks(results):
    """The primary keys of search results, best first, without loading the objects where the backend allows."""
    return results.pks() if hasattr(results, "pks") else [obj.pk for obj in results]


def candidates(query, locale, page_type="", topic=""):
    """The backend's best matches for ``query`` in ``locale``: ``[page_id]``, best first."""
    pages = base_queryset(locale, page_type, topic)
    found = _pks(pages.search(query.backend_query())[:CANDIDATES])
    if query.prefixes:
        # One word: also the pages whose title or summary has a word beginning with it.
        prefixed = _pks(pages.autocomplete(query.prefixes[-1])[:CANDIDATES])
        seen = set(found)
        found += [pk for pk in prefixed if pk not in seen]
    return found


def _page_types():
    """What reading the searchable page types in one query needs, for the types that inherit from
    Page directly (all of them today): ``{content type id: name of the reverse relation from Page}``,
    the streamfields to defer, and ``{content type id: (model, [(attribute, values() lookup)])}``
    of the columns ranking reads (``search_ranking_fields``)."""
    relations, deferred, columns = {}, [], {}
    for model in searchable_models():
        link = model._meta.parents.get(Page)
        if link is None or len(model._meta.parents) != 1:
            continue
        name = link.remote_field.get_accessor_name()
        content_type = ContentType.objects.get_for_model(model).pk
        relations[content_type] = name
        wanted = {"id", "content_type", model._meta.pk.name, *model.search_ranking_fields}
        fields = [field for field in model._meta.concrete_fields if field.name in wanted]
        deferred += [
            f"{name}__{field.name}"
            for field in model._meta.concrete_fields
            if isinstance(field, StreamField) and field.model is model
        ]
        columns[content_type] = (
            model,
            [(field.attname, field.attname if field.model is Page else f"{name}__{field.attname}") for field in fields],
        )
    return relations, deferred, columns


def result_pages(ids):
    """``{pk: specific page}`` of ``ids``: one query whatever the mix of page types.

    ``.specific()`` costs a query per page type on the page, so the number of queries of a search
    would depend on what it finds; here every searchable type's table is joined to the page
    (``select_related`` of the reverse one-to-one links), streamfields left out.
    """
    relations, deferred, _columns = _page_types()
    rows = Page.objects.filter(pk__in=ids).order_by().select_related(*relations.values()).defer(*deferred)
    found, others = {}, []
    for row in rows:
        name = relations.get(row.content_type_id)
        page = getattr(row, name, None) if name else None
        if page is None:
            others.append(row.pk)  # a type further down the inheritance tree: Wagtail's way below
        found[row.pk] = page or row
    if others:
        found.update({page.pk: page for page in Page.objects.filter(pk__in=others).defer_streamfields().specific()})
    return found


def candidate_pages(ids):
    """``{pk: (page, indexed text)}`` of ``ids`` for ranking, in one query.

    Ranking reads a few attributes of up to 200 candidates (title, summary, type boost); building
    full model instances of them (joined across every page type's table) took more time than the
    ranking itself. Each candidate is a bare object of its page type carrying the columns ranking
    reads (``BasePage.search_ranking_fields``; no ``__init__``): model properties such as
    ``listing_summary`` and ``search_boost`` work on it. The view swaps real pages in for the
    results it shows (``result_pages``).
    """
    _relations, _deferred, columns = _page_types()
    lookups = sorted({lookup for _model, fields in columns.values() for _attname, lookup in fields})
    rows = (
        # No ORDER BY (Page's default is the tree path): on SQLite it made the planner walk the
        # path index over every page and build a temporary index of the search entries (0.4 s at
        # 10,000 articles) instead of looking up the candidates by key.
        Page.objects.filter(pk__in=ids)
        .order_by()
        .annotate(hub_index_text=F(_index_text_field()))
        .values("pk", "content_type_id", "hub_index_text", *lookups)
    )
    found, others = {}, []
    for row in rows:
        if row["content_type_id"] not in columns:
            others.append(row["pk"])
            found[row["pk"]] = (None, row["hub_index_text"])
            continue
        model, fields = columns[row["content_type_id"]]
        page = model.__new__(model)
        page.__dict__.update({attname: row[lookup] for attname, lookup in fields})
        # Another column would be loaded on first use (a query): a slip shows in the query counts.
        page._state = ModelState()
        page._state.adding, page._state.db = False, rows.db
        found[row["pk"]] = (page, row["hub_index_text"])
    if others:
        for pk, page in result_pages(others).items():
            found[pk] = (page, found[pk][1])
    return found


def score(result, query, position, total):
    """The result's score (see the module docstring)."""
    page = result.page
    language = result.language
    value = EXACT_TITLE if query.is_exact(page.title) else 0.0
    value += TITLE * query.coverage(page.title, language)
    value += SUMMARY * query.coverage(page.listing_summary, language)
    value += TEXT * query.coverage(result.text, language)
    value += BACKEND_ORDER * (1 - position / max(total, 1))
    value *= page.search_boost
    if result.untranslated:
        value *= UNTRANSLATED
    return value


def ranked_results(query, locale, page_type="", topic=""):
    """Every matching page of ``locale`` as a ``Result``, best first (a fixed number of queries)."""
    ids = candidates(query, locale, page_type, topic)
    if not ids:
        return []
    pages = candidate_pages(ids)
    results = []
    for position, pk in enumerate(ids):
        if pk not in pages:
            continue
        page, text = pages[pk]
        # An alias shows its untranslated source, which is in the default language (wagtail-localize
        # synchronises every locale from it); reading page.locale would cost a query per page.
        language = settings.LANGUAGE_CODE if page.alias_of_id else locale.language_code
        text = (text or "").split(STEMS_MARK)[0]
        result = Result(page, text=text, untranslated=bool(page.alias_of_id), language=language)
        result.score = score(result, query, position, len(ids))
        results.append(result)
    results.sort(key=lambda result: -result.score)
    return results


def add_snippet(result, query):
    """The summary with the query highlighted when it holds a match, otherwise the text around the first match."""
    result.title = highlight(result.page.title, query, result.language, length=1000)
    summary = result.page.listing_summary
    if summary and query.hits(summary, result.language):
        result.snippet = highlight(summary, query, result.language)
    elif result.text and query.hits(result.text, result.language):
        result.snippet = highlight(" ".join(result.text.split()), query, result.language, length=32)
    else:
        result.snippet = highlight(summary or result.text, query, result.language, length=32)


def provider_sections(query, locale):
    """The non-empty result sections of the registered search providers, in registration order."""
    sections = (provider(query, locale) for provider in search_providers())
    return [section for section in sections if section is not None and section.hits]


def promotions(query, locale):
    """Editors' picks for the query: live public pages of ``locale`` and external links, without
    recording the query. A pick of a page that is private (members-only) or unpublished is left out."""
    picks = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query)).select_related("page")
    )
    page_ids = [pick.page_id for pick in picks if pick.page_id]
    public = set(public_pages().filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
    return [
        pick
        for pick in picks
        if pick.page_id is None or (pick.page_id in public and pick.page.locale_id == locale.pk)
    ]


def topic_choices(language_code):
    """``[(slug, label)]`` of every topic, by label in ``language_code`` (labels are cached)."""

    def compute():
        labels = topic_labels(language_code)
        topics = [(topic.slug, labels.get(topic.pk) or topic.name) for topic in Topic.objects.only("pk", "slug", "name")]
        return sorted(topics, key=lambda item: item[1].casefold())

    # Kept per page-cache generation (hub.memo): topics are snippets, their edits move it on.
    return memo.per_generation(("search-topics", language_code), compute)


def results_html(request, query_text, locale, page_type, topic, filtered):
    """The rendered results section of ``query_text`` (ranking, editors' picks, the providers' sections)."""
    context = {"query": query_text, "page_obj": None, "sections": [], "picks": [], "filtered": filtered}
    query = Query(query_text, locale.language_code)
    if query:
        picks = promotions(query_text, locale)
        picked_pages = {pick.page_id for pick in picks if pick.page_id}
        results = [
            result
            for result in ranked_results(query, locale, page_type, topic)
            if result.page.pk not in picked_pages
        ]
        page_obj = paginate(request, results, RESULTS_PER_PAGE)
        shown = result_pages([result.page.pk for result in page_obj.object_list])
        for result in page_obj.object_list:
            result.page = shown.get(result.page.pk, result.page)
            add_snippet(result, query)
        context.update(
            {
                "page_obj": page_obj,
                "picks": picks if page_obj.number == 1 else [],
                "sections": provider_sections(query_text, locale) if page_obj.number == 1 else [],
            }
        )
    return render_to_string("includes/search_results.html", context, request)


@require_safe
def search(request):
    """``/{lang}/search/?q=&type=&topic=``: ranked, paginated results; never an error for odd input.

    The results section is kept per page-cache generation, language, host and query string
    (``hub.memo``), and the whole page goes through the page cache like any other: the index is
    visible content, so the task worker's index writes invalidate both (``hub.search_backends``).
    A search whose results are not kept is rate limited per client (``HUB_RATE_LIMITS["search"]``):
    a burst of distinct queries from one address gets 429 instead of occupying the workers, while
    a popular query costs little however often it is asked.
    """
    raw = request.GET.get("q", "")
    query_text = clean_query(raw)
    locale = active_locale()
    results_key = ("search-results", translation.get_language(), request.get_host(), request.GET.urlencode())
    results = memo.peek(results_key) if raw else None
    if raw and results is None and not ratelimit.hit("search", ratelimit.client_address(request)):
        return ratelimit.too_many_requests(request, ratelimit.limit_for("search")[1])
    types = type_choices(locale)
    page_type = request.GET.get("type", "")
    page_type = page_type if page_type in dict(types) else ""
    topics = topic_choices(locale.language_code)
    topic = request.GET.get("topic", "")[:100]
    topic = topic if topic in dict(topics) else ""
    filtered = bool(page_type or topic)
    if query_text and results is None:
        results = memo.remember(results_key, results_html(request, query_text, locale, page_type, topic, filtered))
    context = {
        "query": query_text,
        "results": results,
        "truncated": len(raw) > MAX_QUERY_LENGTH,
        "type_choices": types,
        "selected_type": page_type,
        "topic_choices": topics,
        "selected_topic": topic,
        "meta_description": _("Search the guidance, research, news, events and partners of Securing Smart Cities."),
    }
    return render(request, "search.html", context)
