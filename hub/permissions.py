"""Permission providers: feature apps tell the foundation what the shared groups may do with their
content, so the code that sets up groups never names a feature app.

Each app registers in its ``AppConfig.ready()``:

- ``register_section(IndexPage, partners_propose=...)``: changes under the section's pages (every
  locale) go through the Board's review; with ``partners_propose`` partner groups may also add
  pages below them (proposals, which they can then edit only while they own them).
- ``register_translatable_snippet(Model)``: the Translators group may edit (translate) the snippet.
- ``register_admin_page_scope(provider)``: ``provider(user)`` returns a ``Q`` of pages (or ``None``)
  that ``user`` may see in the admin besides what their partner organisation's scope allows (a
  working group's members' area, for its members); the partner isolation adds them.
- ``register_hidden_pages(provider)``: ``provider(user)`` returns a ``Q`` of pages ``user`` must
  not see in the admin at all (other working groups' members-only pages), whatever their page
  permissions: the page permission policy leaves them out of the explorer, the admin search, the
  admin API and the reports.

Registration is explicit rather than derived from the models: a new page type or translatable
snippet grants nobody anything until its app says so.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

_sections = {}  # page model -> whether partners may propose pages below it
_translatable_snippets = []
_admin_page_scopes = []
_hidden_page_providers = []


def register_section(page_model, *, partners_propose=False):
    """Put ``page_model``'s pages under Board review; with ``partners_propose``, partners may add pages below them."""
    _sections[page_model] = partners_propose


def register_translatable_snippet(model):
    """Let the Translators group edit ``model`` (a translatable snippet)."""
    if model not in _translatable_snippets:
        _translatable_snippets.append(model)


def reviewed_sections():
    """Every page (all locales, aliases included) of the registered section types."""
    return [page for model in _sections for page in model.objects.all()]


def proposal_sections():
    """Every page (all locales) of the section types under which partners may propose pages."""
    return [page for model, propose in _sections.items() if propose for page in model.objects.all()]


def translatable_snippet_permissions():
    """The "change" permission of every registered translatable snippet."""
    return [
        Permission.objects.get(
            content_type=ContentType.objects.get_for_model(model), codename=f"change_{model._meta.model_name}"
        )
        for model in _translatable_snippets
    ]


def _any_of(providers, user):
    """The ``Q`` that matches what any of ``providers(user)`` matches (``None`` when none gives one)."""
    conditions = [condition for provider in providers if (condition := provider(user)) is not None]
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def register_admin_page_scope(provider):
    """Let ``provider(user) -> Q | None`` widen what a partner user sees in the admin."""
    if provider not in _admin_page_scopes:
        _admin_page_scopes.append(provider)
    return provider


def admin_page_scope(user):
    """The ``Q`` of pages the registered providers let ``user`` see (``None`` when none does)."""
    return _any_of(_admin_page_scopes, user)


def register_hidden_pages(provider):
    """Let ``provider(user) -> Q | None`` hide pages from ``user`` everywhere in the admin."""
    if provider not in _hidden_page_providers:
        _hidden_page_providers.append(provider)
    return provider


def hidden_pages(user):
    """The ``Q`` of pages hidden from ``user`` by the registered providers (``None`` when none is)."""
    return _any_of(_hidden_page_providers, user)
