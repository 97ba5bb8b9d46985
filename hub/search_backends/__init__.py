"""Wagtail's database search backends, ranked in one bounded query so search stays fast at any size.

Wagtail's database backend ranks by putting a correlated subquery in the SELECT that runs the
full-text match again for every candidate: 20 ms with a hundred pages, 5–8 s with ten thousand
(the whole result set is scored before the first page can be shown). These backends ask the
engine for the best ``MAX_RESULTS`` matches in one statement instead, restricted to the pages the
caller's queryset allows (locale, live, public, ...) before the limit, and load only the pages of
the requested slice:

- ``hub.search_backends.sqlite``: SQLite FTS5's own ``bm25`` ranking, over a bounded candidate set
  too (the newest ``CANDIDATES`` allowed matches and as many title matches, found in FTS5's rowid
  order so the scan stops at the bound);
- ``hub.search_backends.postgres``: PostgreSQL's ``ts_rank`` over the GIN-indexed vectors, each
  page indexed and each query parsed with its language's text search configuration
  (``LANGUAGE_CONFIGS``: English, Spanish, French and Arabic stemming and stop words).

Ranking in both: pages whose title contains every search word first, then the engine's score with
the title weighted above the body (SQLite: ``TITLE_WEIGHT`` in ``bm25``; PostgreSQL: the title's
weight A in the vectors). A search has at most ``MAX_RESULTS`` results; nobody pages past the
hundredth page of ten, and the bound is what keeps the cost flat. PostgreSQL ranks a bounded
candidate set: every match whose title holds the words and the newest ``CANDIDATES`` others.

``hub.settings.base`` chooses the module from the database engine. Queries that are not ranked by
relevance (``order_by_relevance=False``), negations and match-all fall back to Wagtail's code.

**What the index holds is visible.** A search's results change when the task worker writes the
index, after the publish that invalidated the caches (``hub.invalidation``). So an index write that
changes the entries of a live page or of a visible snippet (a person) invalidates too, through the
same mechanism (``IndexInvalidationMixin``): search results can then be kept per page-cache
generation like every other page. Writes that leave the entries as they were (a draft saved on a
live page reindexes its unchanged live version) invalidate nothing.
"""

from contextlib import contextmanager

from django.db.models import CharField
from django.db.models.functions import Cast

from wagtail.models import Page
from wagtail.search.models import IndexEntry
from wagtail.search.query import MatchAll, Not

from hub import invalidation

MAX_RESULTS = 1000
TITLE_WEIGHT = 5.0
# Both backends rank the title matches and at most this many other matches (the newest): the site
# search keeps the best 100 of them, and ranking more only costs time (ts_rank decompresses each vector).
CANDIDATES = 500


def ranking_options(params):
    """The ranking options of a ``WAGTAILSEARCH_BACKENDS`` entry: ``MAX_RESULTS``, ``TITLE_WEIGHT``, ``CANDIDATES``."""
    return {
        "max_results": int(params.get("MAX_RESULTS", MAX_RESULTS)),
        "candidates": int(params.get("CANDIDATES", CANDIDATES)),
        "title_weight": float(params.get("TITLE_WEIGHT", TITLE_WEIGHT)),
    }


class RankedCompilerMixin:
    """For a query compiler: ``ranked()`` runs the one bounded query; ``ranked_slice()`` loads a page of it.

    Subclasses implement ``ranked_entries(config, ranking, in_scope)``: a queryset of
    ``(object_id, score)`` pairs, best first, limited to ``ranking["max_results"]``.
    """

    _ranked = None

    def ranks(self):
        """True when this search is ranked here; the rest (no relevance order, negations, match-all) is Wagtail's."""
        query = self.query
        return self.order_by_relevance and not isinstance(query, (MatchAll, Not))

    def scope(self):
        """The primary keys the caller's queryset allows, as the text the index stores in ``object_id``."""
        return self.queryset.order_by().annotate(_object_id=Cast("pk", CharField())).values("_object_id")

    def ranked(self, config, ranking, limit=None):
        """``[(pk, score)]``, best first: one query, kept for the count and the slices of a result page.

        ``limit`` (a slice's end) fetches only that many when the whole ranking is not needed.
        """
        if self._ranked is None:
            self._ranked = {}
        bound = ranking["max_results"] if limit is None else min(limit, ranking["max_results"])
        known = [size for size in self._ranked if size >= bound]
        if known:
            return self._ranked[min(known)][:bound]
        to_python = self.queryset.model._meta.pk.to_python
        entries = self.ranked_entries(config, {**ranking, "max_results": bound}, self.scope())
        self._ranked[bound] = [(to_python(object_id), score) for object_id, score in entries]
        return self._ranked[bound]

    def ranked_slice(self, config, ranking, start, stop, score_field=None):
        """The objects of ``[start:stop]`` of the ranking, in order (one query for them)."""
        chosen = self.ranked(config, ranking, limit=stop)[start:stop]
        objects = self.queryset.in_bulk([pk for pk, _score in chosen])
        results = []
        for pk, score in chosen:
            obj = objects.get(pk)
            if obj is not None:
                if score_field:
                    setattr(obj, score_field, score)
                results.append(obj)
        return results


class RankedResultsMixin:
    """For a results class: ranked searches take their results and count from the compiler's one query."""

    def _ranking_compiler(self):
        compiler = self.query_compiler
        if isinstance(compiler, RankedCompilerMixin) and compiler.ranks():
            return compiler
        return None

    def get_config(self):
        return self.query_compiler.get_config(self.backend)

    def _do_search(self):
        compiler = self._ranking_compiler()
        if compiler is None:
            return super()._do_search()
        return compiler.ranked_slice(self.get_config(), self.backend.ranking, self.start, self.stop, self._score_field)

    def pks(self):
        """The primary keys of this slice of the results, best first, without loading the objects
        (the site search reads what it shows of its candidates in one query of its own)."""
        compiler = self._ranking_compiler()
        if compiler is None:
            return [obj.pk for obj in self]
        ranked = compiler.ranked(self.get_config(), self.backend.ranking, limit=self.stop)
        return [pk for pk, _score in ranked[self.start : self.stop]]

    def _do_count(self):
        compiler = self._ranking_compiler()
        if compiler is None:
            return super()._do_count()
        return len(compiler.ranked(self.get_config(), self.backend.ranking))


def _shown(obj):
    """True when ``obj``'s index entry can change what a visitor finds: a live page, or a visible model."""
    if isinstance(obj, Page):
        return obj.live
    return invalidation.is_visible_model(type(obj))


def _entries(object_ids):
    """The index entries of these object ids, comparable (every engine's columns as text)."""
    rows = IndexEntry.objects.filter(object_id__in=object_ids).values_list(
        "content_type_id", "object_id", "title", "body", "autocomplete"
    )
    return sorted(tuple(str(value) for value in row) for row in rows)


@contextmanager
def _invalidating(objs):
    """Invalidate after the write inside the block when it changed the entries of a shown object (two queries)."""
    shown = [obj for obj in objs if _shown(obj)]
    if not shown:
        yield
        return
    object_ids = [str(obj.pk) for obj in shown]
    before = _entries(object_ids)
    yield
    if _entries(object_ids) != before:
        invalidation.invalidate("search index updated", pages=[obj for obj in shown if isinstance(obj, Page)])


class IndexInvalidationMixin:
    """For a search backend: index writes that change what visitors find invalidate the caches (see above)."""

    def add(self, obj):
        with _invalidating([obj]):
            super().add(obj)

    def add_bulk(self, model, obj_list):
        obj_list = list(obj_list)
        with _invalidating(obj_list):
            super().add_bulk(model, obj_list)
