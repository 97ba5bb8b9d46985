"""Site search: live public pages of the active language, editors' picks first, and the sections
feature apps add through ``hub.registry`` (people, for instance)."""

import unicodedata

from django.shortcuts import render
from django.views.decorators.http import require_safe

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from hub import ratelimit
from hub.page_cache import exempt_from_page_cache
from hub.pagination import paginate
from hub.registry import search_providers

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


# Characters SQLite's full-text query syntax gives a meaning to; searching for them is never useful.
FTS_SYNTAX = set('"*():^{}[]+')


def clean_query(raw):
    """A searchable query: control characters and full-text syntax removed, whitespace collapsed, length capped."""
    text = "".join(" " if unicodedata.category(char)[0] in "CZ" or char in FTS_SYNTAX else char for char in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def page_results(query, locale):
    """Live public pages written in ``locale`` (aliases of untranslated pages excluded) matching ``query``."""
    # alias_of is not a search filter field of Page; a subquery on the primary key is.
    originals = Page.objects.filter(locale=locale, alias_of__isnull=True).values("pk")
    pages = Page.objects.live().public().filter(locale=locale, pk__in=originals)
    return pages.search(query, operator="and")


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
    public = set(Page.objects.live().public().filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
    return [
        pick
        for pick in picks
        if pick.page_id is None or (pick.page_id in public and pick.page.locale_id == locale.pk)
    ]


@exempt_from_page_cache
@require_safe
def search(request):
    """``/{lang}/search/?q=``: paginated results, never an error for odd input.

    Never stored in the page cache: results depend on the search index, which the task worker
    updates after the change that the page cache was invalidated for. Every query misses any
    cache, so searches are rate limited per client (``HUB_RATE_LIMITS["search"]``): a burst of
    distinct queries from one address gets 429 instead of occupying the workers.
    """
    if request.GET.get("q") and not ratelimit.hit("search", ratelimit.client_address(request)):
        return ratelimit.too_many_requests(request, ratelimit.limit_for("search")[1])
    query = clean_query(request.GET.get("q", ""))
    locale = Locale.get_active()
    context = {"query": query, "page_obj": None, "sections": [], "picks": [], "truncated": False}
    raw = request.GET.get("q", "")
    context["truncated"] = len(raw) > MAX_QUERY_LENGTH
    if query:
        if not ratelimit.hit("search", ratelimit.client_address(request)):
            return ratelimit.too_many_requests(request, ratelimit.limit_for("search")[1])
        picks = promotions(query, locale)
        picked_pages = {pick.page_id for pick in picks if pick.page_id}
        results = page_results(query, locale)
        page_obj = paginate(request, results, RESULTS_PER_PAGE)
        # One query for the specific pages of this result page (for summaries and page types).
        specific = {page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in page_obj]).specific()}
        page_obj.object_list = [specific.get(page.pk, page) for page in page_obj if page.pk not in picked_pages]
        for result in page_obj.object_list:
            result.type_label = result._meta.verbose_name
        context.update(
            {
                "page_obj": page_obj,
                "picks": picks,
                "sections": provider_sections(query, locale) if page_obj.number == 1 else [],
            }
        )
    return render(request, "search.html", context)
