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


# Entries carry a lexeme of their age, ``'#age-N'`` for ids ``N * AGE_BUCKET`` and above (``hub``
# migration 0007's trigger), and the newest matches are looked for in these windows of buckets
# first: a word on most pages has its newest candidates in the first one.
AGE_BUCKET = 1024
WINDOWS = (4, 16)


def ranked_entries_sql(compiler, config, ranking, in_scope, vector, title_first):
    """One statement: the caller's filters, a bounded candidate set from the newest matches, ranked.

    ``vector`` is the indexed expression searched, with ``{table}`` before each column. The
    candidates are every match whose title holds the words (``title_first``) and the newest
    ``CANDIDATES`` other matches; only they are ranked (``ts_rank`` decompresses each vector, so
    ranking every match of a common word was what cost seconds).

    The newest matches are found in windows of the newest entries (``WINDOWS``, in age buckets),
    each tried only when the one before held fewer than ``CANDIDATES`` allowed matches, then in
    the whole index: any window holding that many allowed matches holds the newest of them. The
    GIN index intersects the words with the window's age lexemes before any row is read, so
    "security" at 10,000 articles reads 1,500 rows instead of the 23,000 entries it is on (English
    and French share its stem): 12 ms instead of 40-50 ms, most of which were heap reads and the
    semi-join with every live page of the locale. Rows are checked against the caller's queryset
    through its primary key (``object_id`` cast to the key's type), not by building the whole
    queryset. A rare word pays for the windows it tries (a few ms each) and reads what it did.

    The match uses the GIN index on the same expression (``hub`` migration 0006 for
    ``title || body``), never a per-row scan: the planner prices ``title || body`` as cheap and,
    for a word on half the pages, reads the whole table instead, building both vectors for every
    row (300 ms at 10,000 articles, against 30 ms through the index). So sequential scans are off
    for this statement only (``SET LOCAL``, sent with it and reset after it), and the content type
    test cannot use its b-tree (``+ 0``), leaving the GIN index. Title matches are found through
    the title's own GIN index. Parallel workers are off too: the planner prices the whole-index
    step as worth them even when a window made it unnecessary, and starting them cost 10 ms.
    """
    query = IndexEntry.objects.all().query
    connection = connections[router.db_for_read(IndexEntry)]
    sql_compiler = query.get_compiler(connection=connection)
    tsquery, tsquery_params = sql_compiler.compile(
        compiler.build_tsquery(compiler.query, config=config).resolve_expression(query)
    )
    scope, scope_params = in_scope.query.sql_with_params()
    pk = compiler.queryset.model._meta.pk
    while pk.remote_field:  # a page type's primary key is its link to Page
        pk = pk.target_field
    # object_id holds the primary key as text: cast to the key's type, it is looked up in its index.
    allowed = f"object_id::{pk.cast_db_type(connection)} IN ({scope})"
    content_types = list(get_descendants_content_types_pks(compiler.queryset.model))
    table = IndexEntry._meta.db_table
    # Pages fill most of the index, so their content types select nearly every row: only the GIN
    # index narrows. A small model (people) is found faster through the content type's b-tree.
    content_type = "content_type_id + 0" if issubclass(compiler.queryset.model, Page) else "content_type_id"
    titled = (
        f"SELECT id FROM {table} WHERE title @@ {tsquery} AND {content_type} = ANY(%s) AND {allowed}"  # noqa: S608
        if title_first
        else "SELECT NULL::integer AS id WHERE false"
    )
    title_params = [*tsquery_params, content_types, *scope_params] if title_first else []
    # Pages fill the index: their newest matches are looked for in windows first. A small model's
    # entries are all found through its content type (no window would hold many of them).
    windows = WINDOWS if issubclass(compiler.queryset.model, Page) else ()
    window_sizes = ", ".join(f"({number}, {size})" for number, size in enumerate(windows)) or "(0, 0)"
    sql = f"""
        SET LOCAL enable_seqscan = off;
        SET LOCAL max_parallel_workers_per_gather = 0;
        WITH windows AS MATERIALIZED (
            -- The age lexemes of each window, and whether it holds the whole index.
            SELECT number, (
                SELECT string_agg(quote_literal('#age-' || (newest.bucket - age)), ' | ')::tsquery
                FROM generate_series(0, size - 1) AS age WHERE age <= newest.bucket
            ) AS ages, size > newest.bucket AS whole
            FROM (VALUES {window_sizes}) AS window_sizes (number, size),
                (SELECT coalesce(max(id) / %s, 0) AS bucket FROM {table}) AS newest
            -- A search without a word (only quotes or stop words) matches nothing, but AND-ed with
            -- the ages it would match the whole window: no window then.
            WHERE size > 0 AND numnode({tsquery}) > 0
            ORDER BY number
        ), windowed AS MATERIALIZED (
            -- The allowed matches of the first window holding enough of them or the whole index. Any
            -- such window gives the same candidates: no ORDER BY, so that the windows are searched in
            -- their order and the search stops at the first (an ORDER BY here would search them all).
            SELECT found.ids FROM windows CROSS JOIN LATERAL (
                SELECT array_agg(id) AS ids, count(*) AS total FROM {table}
                WHERE {vector.format(table="")} @@ ({tsquery} && windows.ages)
                    AND {content_type} = ANY(%s) AND {allowed}
            ) AS found
            WHERE windows.whole OR found.total >= %s
            LIMIT 1
        ), allowed AS MATERIALIZED (
            SELECT unnest(ids) AS id FROM windowed
            UNION ALL
            -- No window held enough of them: every allowed match.
            SELECT id FROM {table}
            WHERE {vector.format(table="")} @@ {tsquery} AND {content_type} = ANY(%s) AND {allowed}
                AND NOT EXISTS (SELECT FROM windowed)
        ), titled AS MATERIALIZED (
            {titled}
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
        RESET max_parallel_workers_per_gather;
    """  # noqa: S608 - identifiers from models, values as parameters
    params = [
        AGE_BUCKET,
        *tsquery_params,
        *tsquery_params,
        content_types,
        *scope_params,
        ranking["candidates"],
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
        # Five statements in one round trip (client-side binding): the ranked rows are the third's.
        cursor.execute(sql, params)
        while True:
            if cursor.description:
                rows = cursor.fetchall()
            if not cursor.nextset():
                break
    return [(object_id, score) for object_id, score, _title_match in rows]


class KeyScopeMixin:
    """For a ranked compiler here: the caller's queryset as primary keys (``ranked_entries_sql`` casts ``object_id``)."""

    def scope(self):
        return self.queryset.order_by().values("pk")


class RankedPostgresSearchQueryCompiler(KeyScopeMixin, RankedCompilerMixin, PostgresSearchQueryCompiler):
    """GIN-indexed match on the index entries, the caller's filters, ``ORDER BY`` title match and rank, ``LIMIT``."""

    def get_config(self, backend):
        """Parse the search with the active language's configuration."""
        return backend.config_for_language(translation.get_language())

    def ranks(self):
        # Searches on named fields (``fields=``) build vectors from the model's columns: Wagtail's way.
        return super().ranks() and self.fields is None

    def ranked_entries(self, config, ranking, in_scope):
        return ranked_entries_sql(self, config, ranking, in_scope, "({table}title || {table}body)", title_first=True)


class RankedPostgresAutocompleteQueryCompiler(KeyScopeMixin, RankedCompilerMixin, PostgresAutocompleteQueryCompiler):
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
