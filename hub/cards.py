"""Listings of cards, kept per page-cache generation: the one way a public listing is paginated and rendered.

A listing (articles, events, organisations) pages through the *ids* of its items (``card_listing``): a
count and a slice, two small queries whatever the size of the site, kept per generation under what
selects them (the listing, its filters and the page number asked for). Each card's HTML is kept per
generation, language, host and variant (the listing it belongs to: its topic links differ), so a
warm listing runs no query for its items and renders no card. Only the items whose card is not kept
are loaded, in one batch with everything a card shows prefetched (``load``), and rendered.

The same coherence as the page cache: every visible change moves the generation on, so a card is
never shown after the change that made it stale; previews and requests without a generation (the
cache down, a change in progress) render every card afresh. Cards hold public data only: the item,
the language and the listing, never the visitor or the query string.
"""

from django.core.paginator import Page, Paginator
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from hub import memo
from hub.pagination import paginate


class _Counted:
    """A sequence of known length and no items: a Paginator for a page whose count and ids are kept."""

    def __init__(self, count):
        self.count = count

    def __len__(self):
        return self.count


def page_of_ids(request, items, per_page, key):
    """The requested page (``?page=``, ``hub.pagination``'s rules) of the ids of the queryset
    ``items()`` returns, in its order, as a Django ``Page`` of ids. Kept per generation under ``key``
    (what selects the queryset: the listing and its filters) and the page number asked for, so a
    kept page does not even build the queryset (Wagtail's ``public()`` queries when it is built);
    previews compute it afresh."""
    requested = request.GET.get("page", "")
    number = int(requested) if requested.isdigit() and len(requested) < 7 else requested[:7]

    def compute():
        page = paginate(request, items().values_list("pk", flat=True), per_page)
        return page.paginator.count, page.number, tuple(page.object_list)

    if getattr(request, "is_preview", False):
        count, number, ids = compute()
    else:
        count, number, ids = memo.per_generation(("page-of-ids", *key, number), compute)
    return Page(list(ids), number, Paginator(_Counted(count), per_page))


def render_cards(request, ids, *, template, name, load, context=None, variant=()):
    """The HTML of the card of each of ``ids``, in order (an id whose item is gone is left out).

    ``load(ids)`` returns the items of the ids whose card is not kept, ready for the card (prefetched);
    ``template`` renders one with the item as ``name`` in its context, beside ``context`` (the same
    for every card of the listing); ``variant`` names what in ``context`` makes this listing's cards
    differ from another's (e.g. the index page they link their topics to).
    """
    ids = list(ids)
    keep = not getattr(request, "is_preview", False)
    prefix = ("card", template, tuple(str(part) for part in variant), translation.get_language(), request.get_host())
    cards = {pk: memo.peek((*prefix, pk)) for pk in ids} if keep else {}
    missing = [pk for pk in ids if cards.get(pk) is None]
    if missing:
        card_template = get_template(template)
        base = {"request": request, **(context or {})}
        for item in load(missing):
            html = card_template.render({**base, name: item})
            cards[item.pk] = memo.remember((*prefix, item.pk), html) if keep else html
    return [mark_safe(cards[pk]) for pk in ids if cards.get(pk) is not None]  # noqa: S308 (rendered by the template)


def card_listing(request, items, *, per_page, key, **cards):
    """``(page, cards)``: the requested page of the ids of ``items()`` (``page_of_ids`` under ``key``)
    and their cards (``render_cards`` with ``cards``: template, name, load, context, variant)."""
    page = page_of_ids(request, items, per_page, key)
    return page, render_cards(request, page.object_list, **cards)
