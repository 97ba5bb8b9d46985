"""Extension points of the foundation: feature apps add to shared pages without ``hub`` naming them.

A feature app registers in its ``AppConfig.ready()``:

- ``register_search_provider(provider)``: ``provider(query, locale)`` returns a ``SearchSection``
  (a heading and ``SearchHit`` results with their own links) or ``None``; the site search shows
  each section below the page results, on the first result page.
- ``register_head_links(provider)``: ``provider(language_code)`` returns ``HeadLink`` items
  (feeds, calendars) that every page of that language announces in its ``<head>``; the result is
  cached per language with the other per-language labels (``hub.labels``).
- ``register_home_section(render, order=50)``: ``render(request)`` returns HTML (from a template, so
  it is safe; a plain string is escaped) shown on the home page below its own content, by ``order``
  (lower first): the work (articles 10, events 20) comes before the people (partners 90).

Providers are kept in registration order, once each, so the page reads the same on every start.
"""

from dataclasses import dataclass, field

_search_providers = []
_head_link_providers = []
_home_sections = []


@dataclass(frozen=True)
class SearchHit:
    """One result of a provider's section: what to show and where it leads ('' for no link)."""

    title: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SearchSection:
    """A block of results from one provider, under its own heading."""

    heading: str
    hits: list = field(default_factory=list)


@dataclass(frozen=True)
class HeadLink:
    """An alternate representation announced in the page head (``<link rel="alternate">``)."""

    type: str
    title: str
    href: str


def _register(providers, provider):
    if provider not in providers:
        providers.append(provider)
    return provider


def register_search_provider(provider):
    """Add ``provider(query, locale) -> SearchSection | None`` to the site search."""
    return _register(_search_providers, provider)


def search_providers():
    return list(_search_providers)


def register_head_links(provider):
    """Add ``provider(language_code) -> [HeadLink]`` to every page's head."""
    return _register(_head_link_providers, provider)


def head_link_providers():
    return list(_head_link_providers)


def register_home_section(render, order=50):
    """Add ``render(request) -> HTML`` to the home page, below its own content, at ``order``."""
    render.home_order = order
    return _register(_home_sections, render)


def home_sections():
    """The registered home sections by ``order``, in registration order among equals."""
    return sorted(_home_sections, key=lambda render: getattr(render, "home_order", 50))
