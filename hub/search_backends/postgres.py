"""PostgreSQL full-text search per language, ranked in one bounded query (see ``hub.search_backends``).

Each object with a locale is indexed with its language's text search configuration
(``LANGUAGE_CONFIGS``, e.g. ``{"es": "spanish"}``), so Spanish pages are stemmed as Spanish, and a
search is parsed with the configuration of the active language. Objects without a locale, and
languages without an entry, use ``SEARCH_CONFIG`` (PostgreSQL's default when unset).
"""

import copy
from collections import defaultdict

from django.contrib.postgres.search import SearchRank
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import translation

from wagtail.models import Locale
from wagtail.search.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from wagtail.search.utils import get_descendants_content_types_pks

from . import RankedCompilerMixin, RankedResultsMixin, ranking_options


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


class RankedPostgresSearchQueryCompiler(RankedCompilerMixin, PostgresSearchQueryCompiler):
    """GIN-indexed match on the index entries, the caller's filters, ``ORDER BY`` title match and rank, ``LIMIT``."""

    def get_config(self, backend):
        """Parse the search with the active language's configuration."""
        return backend.config_for_language(translation.get_language())

    def ranks(self):
        # Searches on named fields (``fields=``) build vectors from the model's columns: Wagtail's way.
        return super().ranks() and self.fields is None

    def ranked_entries(self, config, ranking, in_scope):
        search_query = self.build_tsquery(self.query, config=config)
        # The same expression as the GIN index Wagtail's migration creates on (title || body).
        vector = F("title")._combine(F("body"), "||", False)
        score = ranking["title_weight"] * SearchRank(F("title"), search_query) + SearchRank(F("body"), search_query)
        return (
            IndexEntry.objects.annotate(_vector_=vector)
            .filter(
                _vector_=search_query,
                content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
                object_id__in=in_scope,
            )
            .annotate(
                title_match=Case(
                    When(title=search_query, then=Value(1)), default=Value(0), output_field=IntegerField()
                ),
                score=score,
            )
            .order_by("-title_match", "-score", "pk")
            .values_list("object_id", "score")[: ranking["max_results"]]
        )


class RankedPostgresSearchResults(RankedResultsMixin, PostgresSearchResults):
    pass


class LanguagePostgresSearchBackend(PostgresSearchBackend):
    """Wagtail's PostgreSQL backend with a text search configuration per language and one bounded ranked query.

    Options: ``LANGUAGE_CONFIGS`` (``{language code: configuration}``), ``MAX_RESULTS`` (default
    1000), ``TITLE_WEIGHT`` (default 5), and Wagtail's own (``SEARCH_CONFIG``, ...).
    """

    index_class = LanguageIndex
    query_compiler_class = RankedPostgresSearchQueryCompiler
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
