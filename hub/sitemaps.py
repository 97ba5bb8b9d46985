"""The sitemap: an index of one sitemap per language, each paged, with hreflang alternates.

``/sitemap.xml`` is a sitemap index; it lists ``/sitemap-<language>.xml`` (and ``?p=2``, ``?p=3``
... for a language with more than ``SITEMAP_LIMIT`` pages). A part lists the live, public pages
written in that language (aliases of untranslated pages are duplicates and left out), each with
its translations as ``xhtml:link`` alternates and ``x-default``. The cost of a part is bounded by
the limit whatever the size of the site: the Site's roots, the slice of pages and one query for
their translations, read as plain values. A language's pages are selected as a range of tree
paths (``tree_q``), which the path index answers in order; the same selection as ``path LIKE
'root%'`` but without reading every page of the site (at 46,000 pages: 9-35 ms of SQL a part
instead of 180-280 ms with a count). The index still counts every language's pages, and is served
from the page cache after its first request. Addresses are on the Site's public address
(``hub.site_address``): each locale root's URL is routed once, and a page's address is its root's
plus its path below it. The XML is written directly (a template spent ~0.3 ms per URL).

Both views answer only safe methods and go through the page cache (``hub.page_cache``), so a part
is rendered once per content change.
"""

from collections import defaultdict
from datetime import UTC
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from wagtail.models import Locale, Page, Site

from hub.models import public_pages
from hub.site_address import absolute_url

# URLs per sitemap part: far below the protocol's 50,000, so that a part (with its alternates) answers in tens of ms.
SITEMAP_LIMIT = 500
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
QUOTE = {'"': "&quot;"}


def languages():
    return [code for code, _name in settings.LANGUAGES]


def tree_q(path):
    """The page at ``path`` and every page below it, as a range of paths: from ``path`` to the next
    path of the same length (paths are numbers in ``Page.alphabet``, converted by treebeard), which
    an index on the path answers directly, where ``path__startswith`` (``LIKE``) reads every page on SQLite."""
    following = Page._int2str(Page._str2int(path) + 1).rjust(len(path), Page.alphabet[0])
    if len(following) > len(path):  # "ZZZZ": nothing of that length follows, so everything after it
        return Q(path__gte=path)
    return Q(path__gte=path, path__lt=following)


class SiteTrees:
    """The request's Site in every language: which pages the sitemap covers and their addresses."""

    def __init__(self, request):
        site = Site.find_for_request(request) or Site.objects.select_related("root_page").get(is_default_site=True)
        roots = list(site.root_page.get_translations(inclusive=True).only("id", "path", "url_path", "locale_id"))
        self.trees = {root.locale_id: tree_q(root.path) for root in roots}
        self.bases = {root.locale_id: (root.url_path, root.get_full_url(request)) for root in roots}

    def pages(self, locale_ids=None):
        """Live, public pages of the trees (of ``locale_ids``, else of every locale) that are not aliases
        (untranslated copies)."""
        condition = Q(pk__in=[])
        for locale_id, tree in self.trees.items():
            if locale_ids is None or locale_id in locale_ids:
                condition |= tree
        return public_pages().filter(condition, alias_of__isnull=True)

    def address(self, locale_id, url_path):
        root_path, root_url = self.bases.get(locale_id, ("", None))
        if root_url is None or not url_path.startswith(root_path):
            return None
        return root_url + url_path[len(root_path) :]


def w3c_datetime(moment):
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def xml_response(body):
    response = HttpResponse(XML_HEAD + body, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
def sitemap_index(request):
    """``/sitemap.xml``: every part of every language's sitemap (one count query for all languages)."""
    trees = SiteTrees(request)
    counts = dict(
        trees.pages()
        .values_list("locale__language_code")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("locale__language_code", "count")
    )
    entries = []
    for code in languages():
        location = absolute_url(request, reverse("sitemap_part", kwargs={"section": code}))
        parts = max(1, -(-counts.get(code, 0) // SITEMAP_LIMIT))
        for number in range(1, parts + 1):
            address = location if number == 1 else f"{location}?p={number}"
            entries.append(f"<sitemap><loc>{escape(address)}</loc></sitemap>")
    body = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{}\n</sitemapindex>\n'
    return xml_response(body.format("\n".join(entries)))


@require_safe
def sitemap_part(request, section):
    """``/sitemap-<language>.xml?p=N``: one part of one language's sitemap (404 for anything else)."""
    if section not in languages():
        raise Http404("No such sitemap.")
    number = request.GET.get("p", "1")
    if not (number.isdigit() and len(number) < 7 and int(number) >= 1):
        raise Http404("No such sitemap page.")
    trees = SiteTrees(request)
    locale_ids = set(Locale.objects.filter(language_code=section).values_list("pk", flat=True))
    start = (int(number) - 1) * SITEMAP_LIMIT
    chosen = list(
        trees.pages(locale_ids)
        .order_by("path")
        .values_list("translation_key", "locale_id", "url_path", "last_published_at")[start : start + SITEMAP_LIMIT]
    )
    if not chosen and number != "1":
        raise Http404("No such sitemap page.")
    versions = defaultdict(list)
    for key, locale_id, language, url_path in (
        trees.pages()
        .filter(translation_key__in={key for key, *_rest in chosen})
        .order_by("path")
        .values_list("translation_key", "locale_id", "locale__language_code", "url_path")
    ):
        address = trees.address(locale_id, url_path)
        if address:
            versions[key].append((language, escape(address, QUOTE)))
    lines = []
    for key, locale_id, url_path, published in chosen:
        location = trees.address(locale_id, url_path)
        if not location:
            continue
        lines.append(f"<url><loc>{escape(location)}</loc>")
        if published:
            lines.append(f"<lastmod>{w3c_datetime(published)}</lastmod>")
        alternates = versions.get(key, [])
        if len(alternates) > 1:
            default = next((address for language, address in alternates if language == settings.LANGUAGE_CODE), None)
            if default:
                alternates = [*alternates, ("x-default", default)]
            lines += [
                f'<xhtml:link rel="alternate" hreflang="{language}" href="{address}"/>'
                for language, address in alternates
            ]
        lines.append("</url>")
    body = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        "{}\n</urlset>\n"
    )
    return xml_response(body.format("\n".join(lines)))
