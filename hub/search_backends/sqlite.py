"""SQLite FTS5 search ranked by the engine in one bounded query (see ``hub.search_backends``)."""

from django.db import connections, router
from django.db.models import CharField, IntegerField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

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

from . import IndexInvalidationMixin, RankedCompilerMixin, RankedResultsMixin, ranking_options


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


def scope_exists(compiler, column):
    """``EXISTS (...)``: the caller's queryset holds the object whose primary key (as text) is in
    ``column``. Checked per candidate (a primary-key lookup), where ``object_id IN (queryset)``
    would first list every allowed object: 25 ms for the 10,000 pages of a language."""
    queryset = compiler.queryset.order_by()
    if isinstance(queryset.model._meta.pk, IntegerField):
        inner = queryset.filter(pk=RawSQL(f"CAST({column} AS INTEGER)", ()))  # noqa: S611 - a column name of ours
    else:
        inner = queryset.annotate(_hub_object_id=Cast("pk", CharField())).filter(_hub_object_id=RawSQL(column, ()))  # noqa: S611
    sql, params = inner.values("pk").query.sql_with_params()
    return f"EXISTS ({sql})", list(params)


def ranked_entries_sql(compiler, config, ranking, columns, weights, title_first):
    """One statement: the caller's filters on the newest matches, a bounded candidate set, ranked by bm25.

    The candidates are the newest ``CANDIDATES`` matches the caller's queryset allows and, with
    ``title_first``, as many whose title holds the words, ranked first (by bm25 of the title, so the
    shortest title holding the words leads). FTS5 returns matches in rowid order, so the newest come
    first and the scan stops at the bound, and ``bm25`` is computed for the candidates only: a common
    word matches every page of a language, and filtering and ranking all of them cost 100 ms and
    more at 10,000 articles.
    """
    fts = SQLiteFTSIndexEntry._meta.db_table
    entries = SQLiteFTSIndexEntry._meta.get_field("index_entry").related_model._meta.db_table
    connection = connections[router.db_for_read(SQLiteFTSIndexEntry)]
    sql_compiler = SQLiteFTSIndexEntry.objects.all().query.get_compiler(connection=connection)
    search_query = compiler.build_search_query(normalize(compiler.query), config=config)
    content_types = list(get_descendants_content_types_pks(compiler.queryset.model))
    scope, scope_params = scope_exists(compiler, "entry.object_id")
    in_types = ", ".join(["%s"] * len(content_types))
    score = ", ".join(str(float(weight)) for weight in weights)

    def candidates(name, match_columns, title_match):
        match = MatchExpression(match_columns, search_query).as_sql(sql_compiler, connection)[1]
        sql = f"""{name} AS (
            SELECT fts.rowid AS id, entry.object_id, -bm25(fts.{fts}, {score}) AS score, {title_match} AS title_match
            FROM {fts} fts JOIN {entries} entry ON entry.id = fts.rowid
            WHERE fts.{fts} MATCH %s AND entry.content_type_id IN ({in_types}) AND {scope}
            ORDER BY fts.rowid DESC LIMIT %s
        )"""  # noqa: S608 - identifiers from models, values as parameters
        return sql, [*match, *content_types, *scope_params, ranking["candidates"]]

    recent, params = candidates("recent", columns, 0)
    if title_first:
        titled, title_params = candidates("titled", ["title"], 1)
        ctes, params = f"{titled}, {recent}", [*title_params, *params]
        union = "SELECT * FROM titled UNION ALL SELECT * FROM recent WHERE id NOT IN (SELECT id FROM titled)"
    else:
        ctes, union = recent, "SELECT * FROM recent"
    sql = f"""
        WITH {ctes}
        SELECT object_id, score FROM ({union})
        ORDER BY title_match DESC, score DESC, id
        LIMIT %s
    """  # noqa: S608 - identifiers from models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ranking["max_results"]])
        return cursor.fetchall()


class RankedSQLiteSearchQueryCompiler(QuotedTermsMixin, RankedCompilerMixin, SQLiteSearchQueryCompiler):
    """FTS5 match, the caller's filters, a bounded candidate set ranked by title match and bm25: one statement."""

    def ranks(self):
        return super().ranks() and not isinstance(normalize(self.query), (MatchAll, Not))

    def ranked_entries(self, config, ranking, in_scope):
        columns = self.fields or self.FTS_TABLE_FIELDS
        weights = (0.0, 1.0, ranking["title_weight"])
        return ranked_entries_sql(self, config, ranking, columns, weights, title_first=True)


class RankedSQLiteAutocompleteQueryCompiler(QuotedTermsMixin, RankedCompilerMixin, SQLiteAutocompleteQueryCompiler):
    """Autocomplete (the last word as a prefix) ranked the same way, on the autocomplete column."""

    def ranks(self):
        return super().ranks() and not isinstance(normalize(self.query), (MatchAll, Not))

    def ranked_entries(self, config, ranking, in_scope):
        return ranked_entries_sql(self, config, ranking, self.FTS_TABLE_FIELDS, (1.0, 0.0, 0.0), title_first=False)


class RankedSQLiteSearchResults(RankedResultsMixin, SQLiteSearchResults):
    pass


class RankedSQLiteSearchBackend(IndexInvalidationMixin, SQLiteSearchBackend):
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
