"""The sitemap: an index of one sitemap per language, each paged, with hreflang alternates.

``/sitemap.xml`` is a sitemap index; it lists ``/sitemap-<language>.xml`` (and ``?p=2``, ``?p=3``
... for a language with more than ``SITEMAP_LIMIT`` pages). A part lists the live, public pages
written in that language (aliases of untranslated pages are duplicates and left out), each with
its translations as ``xhtml:link`` alternates and ``x-default``, so the cost of a part is bounded
by the limit whatever the size of the site: a count, the slice of pages, and one query for their
translations. Addresses are on the Site's public address (``hub.site_address``), built from each
locale root's URL and the page's path below it rather than by routing every page.

Both views answer only safe methods and go through the page cache (``hub.page_cache``), so a part
is rendered once per content change.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from hub.site_address import absolute_url

# URLs per sitemap part: well under the protocol's 50,000, so that a part renders in a few tens of ms.
SITEMAP_LIMIT = 1000


def languages():
    return [code for code, _name in settings.LANGUAGES]


class LocaleSitemap(Sitemap):
    """The pages of one language in the Site's trees, ordered by path, ``SITEMAP_LIMIT`` per part."""

    limit = SITEMAP_LIMIT

    def __init__(self, request, language_code):
        super().__init__(request)
        self.language_code = language_code

    def roots(self):
        """The Site's root page in every language (the trees the sitemap covers), cached per instance."""
        if not hasattr(self, "_roots"):
            site = self.get_wagtail_site()
            self._roots = list(
                site.root_page.get_translations(inclusive=True).only("id", "path", "url_path", "locale_id")
            )
        return self._roots

    def in_the_trees(self):
        condition = Q(pk__in=[])
        for root in self.roots():
            condition |= Q(path__startswith=root.path)
        return condition

    def published(self):
        return Page.objects.live().public().filter(self.in_the_trees(), alias_of__isnull=True)

    def items(self):
        return (
            self.published()
            .filter(locale__language_code=self.language_code)
            .only("id", "path", "url_path", "translation_key", "last_published_at", "locale_id")
            .order_by("path")
        )

    def base_urls(self):
        """``{locale_id: (root url_path, root full URL)}``: a page's address is its root's plus its path below it."""
        return {root.locale_id: (root.url_path, root.get_full_url(self.request)) for root in self.roots()}

    def get_urls(self, page=1, site=None, protocol=None):
        pages = list(self.paginator.page(page).object_list)
        translations = defaultdict(list)
        for version in (
            self.published()
            .filter(translation_key__in={item.translation_key for item in pages})
            .select_related("locale")
            .only("id", "url_path", "translation_key", "locale__language_code")
            .order_by("path")
        ):
            translations[version.translation_key].append(version)
        bases = self.base_urls()

        def address(item):
            root_path, root_url = bases.get(item.locale_id, (None, None))
            if root_url is None or not item.url_path.startswith(root_path):
                return None
            return root_url + item.url_path[len(root_path) :]

        urls = []
        latest = None
        for item in pages:
            location = address(item)
            if not location:
                continue
            versions = translations.get(item.translation_key, [])
            alternates = []
            if len(versions) > 1:
                alternates = [
                    {"lang_code": version.locale.language_code, "location": address(version)}
                    for version in versions
                    if address(version)
                ]
                default = next((a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None)
                if default:
                    alternates.append({"lang_code": "x-default", "location": default["location"]})
            urls.append(
                {"item": item, "location": location, "lastmod": item.last_published_at, "alternates": alternates}
            )
            if item.last_published_at and (latest is None or item.last_published_at > latest):
                latest = item.last_published_at
        self.latest_lastmod = latest
        return urls


@require_safe
def sitemap_index(request):
    """``/sitemap.xml``: every part of every language's sitemap (one count query per language)."""
    parts = []
    for code in languages():
        location = absolute_url(request, reverse("sitemap_part", kwargs={"section": code}))
        pages = LocaleSitemap(request, code).paginator.num_pages
        parts += [{"location": location if number == 1 else f"{location}?p={number}"} for number in range(1, pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": parts}, content_type="application/xml")


@require_safe
def sitemap_part(request, section):
    """``/sitemap-<language>.xml?p=N``: one part of one language's sitemap (404 for anything else)."""
    if section not in languages():
        raise Http404("No such sitemap.")
    return sitemap_views.sitemap(request, {section: LocaleSitemap(request, section)}, section=section)
