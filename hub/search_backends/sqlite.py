"""SQLite FTS5 search ranked by the engine in one bounded query (see ``hub.search_backends``)."""

from django.db.models import Case, FloatField, Func, IntegerField, Value, When

from wagtail.search.backends.database.sqlite.query import MatchExpression, normalize
from wagtail.search.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from wagtail.search.query import MatchAll, Not, Phrase, PlainText
from wagtail.search.utils import get_descendants_content_types_pks

from . import RankedCompilerMixin, RankedResultsMixin, ranking_options


class WeightedBM25(Func):
    """``bm25()`` of the FTS5 table with a weight per column, negated so that higher is better.

    The table's columns are ``(autocomplete, body, title)`` (Wagtail's migration creates it so).
    """

    output_field = FloatField()

    def __init__(self, autocomplete=0.0, body=0.0, title=0.0):
        self.weights = ", ".join(str(float(weight)) for weight in (autocomplete, body, title))
        super().__init__()

    def as_sql(self, compiler, connection, **extra_context):
        return f"-bm25({SQLiteFTSIndexEntry._meta.db_table}, {self.weights})", []


class QuotedTermsMixin:
    """Terms safe inside FTS5's quoted strings: a double quote in a visitor's term would end the
    string early and make the whole ``MATCH`` a syntax error (a 500 on ``?search="><script>``), so
    it is doubled, FTS5's escape. Every other character is already literal inside the quotes the
    backend puts around each term."""

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            query = PlainText(query.query_string.replace('"', '""'), operator=query.operator, boost=query.boost)
        elif isinstance(query, Phrase):
            query = Phrase(query.query_string.replace('"', '""'))
        return super().build_search_query_content(query, config=config)


class RankedSQLiteSearchQueryCompiler(QuotedTermsMixin, RankedCompilerMixin, SQLiteSearchQueryCompiler):
    """FTS5 match, the caller's filters, ``ORDER BY`` title match and score, ``LIMIT``: one statement."""

    def ranks(self):
        return super().ranks() and not isinstance(normalize(self.query), (MatchAll, Not))

    def ranked_entries(self, config, ranking, in_scope):
        search_query = self.build_search_query(normalize(self.query), config=config)
        title_matches = SQLiteFTSIndexEntry.objects.filter(MatchExpression(["title"], search_query)).values("pk")
        return (
            SQLiteFTSIndexEntry.objects.filter(MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query))
            .filter(
                index_entry__content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
                index_entry__object_id__in=in_scope,
            )
            .annotate(
                title_match=Case(
                    When(pk__in=title_matches, then=Value(1)), default=Value(0), output_field=IntegerField()
                ),
                score=WeightedBM25(body=1.0, title=ranking["title_weight"]),
            )
            .order_by("-title_match", "-score", "pk")
            .values_list("index_entry__object_id", "score")[: ranking["max_results"]]
        )


class RankedSQLiteAutocompleteQueryCompiler(QuotedTermsMixin, RankedCompilerMixin, SQLiteAutocompleteQueryCompiler):
    """Autocomplete (the last word as a prefix) ranked the same way, on the autocomplete column."""

    def ranks(self):
        return super().ranks() and not isinstance(normalize(self.query), (MatchAll, Not))

    def ranked_entries(self, config, ranking, in_scope):
        search_query = self.build_search_query(normalize(self.query), config=config)
        return (
            SQLiteFTSIndexEntry.objects.filter(MatchExpression(self.FTS_TABLE_FIELDS, search_query))
            .filter(
                index_entry__content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
                index_entry__object_id__in=in_scope,
            )
            .annotate(score=WeightedBM25(autocomplete=1.0))
            .order_by("-score", "pk")
            .values_list("index_entry__object_id", "score")[: ranking["max_results"]]
        )


class RankedSQLiteSearchResults(RankedResultsMixin, SQLiteSearchResults):
    pass


class RankedSQLiteSearchBackend(SQLiteSearchBackend):
    """Wagtail's SQLite FTS5 backend with one bounded, ranked query per search.

    Options: ``MAX_RESULTS`` (default 1000), ``TITLE_WEIGHT`` (default 5).
    """

    query_compiler_class = RankedSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = RankedSQLiteAutocompleteQueryCompiler
    results_class = RankedSQLiteSearchResults

    def __init__(self, params):
        super().__init__(params)
        self.ranking = ranking_options(params)


SearchBackend = RankedSQLiteSearchBackend
