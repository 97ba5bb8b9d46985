"""PostgreSQL full-text search per language, ranked in one bounded query (see ``hub.search_backends``).

Each object with a locale is indexed with its language's text search configuration
(``LANGUAGE_CONFIGS``, e.g. ``{"es": "spanish"}``), so Spanish pages are stemmed as Spanish, and a
search is parsed with the configuration of the active language. Objects without a locale, and
languages without an entry, use ``SEARCH_CONFIG`` (PostgreSQL's default when unset).
"""

import copy
from collections import defaultdict

from django.db import connections, router
from django.utils import translation

from wagtail.models import Locale, Page
from wagtail.search.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from wagtail.search.utils import get_descendants_content_types_pks

from . import IndexInvalidationMixin, RankedCompilerMixin, RankedResultsMixin, ranking_options


class LanguageIndex(PostgresIndex):
    """Indexes each object with the text search configuration of its language."""

    def add_items(self, model, objs):
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        groups = defaultdict(list)
        for obj in objs:
            groups[self.backend.config_for_language(languages.get(getattr(obj, "locale_id", None)))].append(obj)
        for config, group in groups.items():
            # Wagtail's indexer reads the configuration from the backend: give it a copy set to this one.
            backend = copy.copy(self.backend)
            backend.config = config
            PostgresIndex(backend).add_items(model, group)


def ranked_entries_sql(compiler, config, ranking, in_scope, vector, title_first):
    """One statement: GIN matches (materialised), the caller's filters, a bounded candidate set, ranked.

    ``vector`` is the indexed expression searched, with ``{table}`` before each column. The
    candidates are every match whose title holds the words (``title_first``) and the newest
    ``CANDIDATES`` other matches; only they are ranked (``ts_rank`` decompresses each vector, so
    ranking every match of a common word was what cost seconds). The match uses the GIN index on
    the same expression (``hub`` migration 0006 for ``title || body``), never a per-row scan: the
    planner prices ``title || body`` as cheap and, for a word on half the pages, reads the whole
    table instead, building both vectors for every row (300 ms at 10,000 articles, against 30 ms
    through the index). So sequential scans are off for this statement only (``SET LOCAL``, sent
    with it and reset after it), and the content type test cannot use its b-tree (``+ 0``), leaving
    the GIN index. Title matches are found through the title's own GIN index.
    """
    query = IndexEntry.objects.all().query
    sql_compiler = query.get_compiler(connection=connections[router.db_for_read(IndexEntry)])
    tsquery, tsquery_params = sql_compiler.compile(
        compiler.build_tsquery(compiler.query, config=config).resolve_expression(query)
    )
    scope, scope_params = in_scope.query.sql_with_params()
    content_types = list(get_descendants_content_types_pks(compiler.queryset.model))
    table = IndexEntry._meta.db_table
    title_params = tsquery_params if title_first else []
    # Pages fill most of the index, so their content types select nearly every row: only the GIN
    # index narrows. A small model (people) is found faster through the content type's b-tree.
    content_type = "content_type_id + 0" if issubclass(compiler.queryset.model, Page) else "content_type_id"
    titled = (
        f"SELECT id FROM {table} WHERE title @@ {tsquery}"  # noqa: S608 - identifiers from models
        if title_first
        else "SELECT NULL::integer AS id WHERE false"
    )
    sql = f"""
        SET LOCAL enable_seqscan = off;
        WITH matches AS MATERIALIZED (
            SELECT id, object_id FROM {table}
            WHERE {vector.format(table="")} @@ {tsquery} AND {content_type} = ANY(%s)
        ), allowed AS (
            SELECT id FROM matches WHERE object_id IN ({scope})
        ), titled AS MATERIALIZED (
            SELECT id FROM allowed WHERE id IN ({titled})
        ), candidates AS (
            (SELECT id FROM titled ORDER BY id DESC LIMIT %s)
            UNION
            (SELECT id FROM allowed ORDER BY id DESC LIMIT %s)
        )
        SELECT entry.object_id, ts_rank({vector.format(table="entry.")}, {tsquery}) AS score,
            entry.id IN (SELECT id FROM titled) AS title_match
        FROM {table} entry WHERE entry.id IN (SELECT id FROM candidates)
        ORDER BY title_match DESC, score DESC, entry.id
        LIMIT %s;
        RESET enable_seqscan;
    """  # noqa: S608 - identifiers from models, values as parameters
    params = [
        *tsquery_params,
        content_types,
        *scope_params,
        *title_params,
        ranking["candidates"],
        ranking["candidates"],
        *tsquery_params,
        ranking["max_results"],
    ]
    rows = []
    with sql_compiler.connection.cursor() as cursor:
        # Three statements in one round trip (client-side binding): the ranked rows are the second's.
        cursor.execute(sql, params)
        while True:
            if cursor.description:
                rows = cursor.fetchall()
            if not cursor.nextset():
                break
    return [(object_id, score) for object_id, score, _title_match in rows]


class RankedPostgresSearchQueryCompiler(RankedCompilerMixin, PostgresSearchQueryCompiler):
    """GIN-indexed match on the index entries, the caller's filters, ``ORDER BY`` title match and rank, ``LIMIT``."""

    def get_config(self, backend):
        """Parse the search with the active language's configuration."""
        return backend.config_for_language(translation.get_language())

    def ranks(self):
        # Searches on named fields (``fields=``) build vectors from the model's columns: Wagtail's way.
        return super().ranks() and self.fields is None

    def ranked_entries(self, config, ranking, in_scope):
        return ranked_entries_sql(self, config, ranking, in_scope, "({table}title || {table}body)", title_first=True)


class RankedPostgresAutocompleteQueryCompiler(RankedCompilerMixin, PostgresAutocompleteQueryCompiler):
    """Autocomplete (the last word as a prefix, ``simple`` configuration) ranked the same way."""

    def ranks(self):
        return super().ranks() and self.fields is None

    def ranked_entries(self, config, ranking, in_scope):
        return ranked_entries_sql(self, config, ranking, in_scope, "{table}autocomplete", title_first=False)


class RankedPostgresSearchResults(RankedResultsMixin, PostgresSearchResults):
    pass


class LanguagePostgresSearchBackend(IndexInvalidationMixin, PostgresSearchBackend):
    """Wagtail's PostgreSQL backend with a text search configuration per language and one bounded ranked query.

    Options: ``LANGUAGE_CONFIGS`` (``{language code: configuration}``), ``MAX_RESULTS`` (default
    1000), ``TITLE_WEIGHT`` (default 5), and Wagtail's own (``SEARCH_CONFIG``, ...).
    """

    index_class = LanguageIndex
    query_compiler_class = RankedPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = RankedPostgresAutocompleteQueryCompiler
    results_class = RankedPostgresSearchResults

    def __init__(self, params):
        super().__init__(params)
        self.language_configs = dict(params.get("LANGUAGE_CONFIGS", {}))
        self.ranking = ranking_options(params)

    def config_for_language(self, language_code):
        """The text search configuration of ``language_code`` (``en-gb`` falls back to ``en``)."""
        if language_code:
            for code in (language_code, language_code.split("-")[0]):
                if code in self.language_configs:
                    return self.language_configs[code]
        return self.config


SearchBackend = LanguagePostgresSearchBackend
