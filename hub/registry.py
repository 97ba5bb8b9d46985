"""Extension points of the foundation: feature apps add to shared pages without ``hub`` naming them.

A feature app registers in its ``AppConfig.ready()``:

- ``register_search_provider(provider)``: ``provider(query, locale)`` returns a ``SearchSection``
  (a heading and ``SearchHit`` results with their own links) or ``None``; the site search shows
  each section below the page results, on the first result page.
- ``register_head_links(provider)``: ``provider(language_code)`` returns ``HeadLink`` items
  (feeds, calendars) that every page of that language announces in its ``<head>``; the result is
  cached per language with the other per-language labels (``hub.labels``).
- ``register_home_section(render, order=50, sitewide=False)``: ``render(request)`` returns HTML (from a
  template, so it is safe; a plain string is escaped) shown on the home page below its own content,
  by ``order`` (lower first): the work (articles 10, events 20) comes before the people (partners
  90). ``sitewide=True`` says the HTML depends on nothing but the language and the site (public
  content, never the visitor): it is then rendered once per page-cache generation (``hub.memo``).
- ``register_follow_link(provider)``: ``provider(language_code)`` returns a ``FollowLink`` (or
  ``None``): a way to follow topics (by email, say), shown in the footer and, with the topics in
  its address (``?topics=<slug>,<slug>``), on topic listings, articles and events; cached per
  language with the labels (``hub.labels``).
- ``register_digest_source(source)``: ``source(locale, since, until)`` returns a ``DigestSection`` of
  the live, public items of ``locale`` that appeared in that window, for the topic digests.
- ``register_proposal_target(target)``: a ``ProposalTarget`` through which members-only drafts are
  proposed for publication (a new page under the board's review).

Public URL patterns that belong to no page are registered with ``hub.extensions.register_public_urls``.

Providers are kept in registration order, once each, so the page reads the same on every start.
"""

from dataclasses import dataclass, field

_search_providers = []
_head_link_providers = []
_home_sections = []
_follow_link_providers = []
_digest_sources = []
_proposal_targets = []


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


@dataclass(frozen=True)
class FollowLink:
    """A way to follow the site's topics: ``label`` in the footer, ``topics_label`` beside given topics."""

    label: str
    url: str
    topics_label: str = ""

    def for_topics(self, slugs):
        """The link for these topic slugs (``?topics=a,b``)."""
        if not slugs:
            return self
        separator = "&" if "?" in self.url else "?"
        return FollowLink(self.topics_label or self.label, f"{self.url}{separator}topics={','.join(slugs)}")


@dataclass(frozen=True)
class DigestItem:
    """One public page in a topic digest: absolute URL, topics, and a line of detail (a date)."""

    page_id: int
    title: str
    url: str
    summary: str = ""
    detail: str = ""
    topic_ids: frozenset = frozenset()


@dataclass(frozen=True)
class DigestSection:
    """The items of one kind (new articles, upcoming events) under a heading (a lazy string)."""

    key: str
    heading: str
    items: list = field(default_factory=list)


class ProposalRefused(Exception):
    """A proposal target cannot take the draft (the message says why, in the user's language)."""


@dataclass(frozen=True)
class ProposalTarget:
    """Where a members-only draft can go to be published: ``propose(draft, user)`` returns the new page.

    ``draft`` offers ``proposal_content()`` (``title``, ``summary``, ``body`` as raw stream data) and
    ``proposal_history()`` (see ``hub.history``); the new page starts under review, never live.
    ``propose`` raises ``ProposalRefused`` when it cannot take the draft.
    """

    key: str
    label: str
    propose: object


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


def register_home_section(render, order=50, sitewide=False):
    """Add ``render(request) -> HTML`` to the home page, below its own content, at ``order`` (see above)."""
    render.home_order = order
    render.home_sitewide = sitewide
    return _register(_home_sections, render)


def home_sections():
    """The registered home sections by ``order``, in registration order among equals."""
    return sorted(_home_sections, key=lambda render: getattr(render, "home_order", 50))


def register_follow_link(provider):
    """Add ``provider(language_code) -> FollowLink | None`` to topic pages and the footer."""
    return _register(_follow_link_providers, provider)


def follow_link_providers():
    return list(_follow_link_providers)


def register_digest_source(source):
    """Add ``source(locale, since, until) -> DigestSection`` to the topic digests."""
    return _register(_digest_sources, source)


def digest_sources():
    return list(_digest_sources)


def register_proposal_target(target):
    """Offer ``target`` (a ``ProposalTarget``) to members-only drafts."""
    if all(existing.key != target.key for existing in _proposal_targets):
        _proposal_targets.append(target)
    return target


def proposal_targets():
    return list(_proposal_targets)
