"""The sitemap: every live, public, translated page of every locale, with hreflang alternates."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    """Pages of every locale tree; aliases (untranslated copies) are left out as duplicates."""

    def items(self):
        site = self.get_wagtail_site()
        if site is None:
            return Page.objects.none()
        roots = site.root_page.get_translations(inclusive=True).only("path")
        in_a_tree = Q(pk__in=[])
        for root in roots:
            in_a_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.live()
            .public()
            .filter(in_a_tree, alias_of__isnull=True)
            .select_related("locale")
            .only("id", "path", "url_path", "translation_key", "last_published_at", "locale__language_code")
            .order_by("path")
        )

    def get_urls(self, page=1, site=None, protocol=None):
        pages = list(self.items())
        by_key = defaultdict(list)
        for item in pages:
            by_key[item.translation_key].append(item)
        urls = []
        for item in pages:
            location = item.get_full_url(self.request)
            if not location:
                continue
            versions = by_key[item.translation_key]
            alternates = []
            if len(versions) > 1:
                alternates = [
                    {"lang_code": version.locale.language_code, "location": version.get_full_url(self.request)}
                    for version in versions
                ]
                default = next((a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None)
                if default:
                    alternates.append({"lang_code": "x-default", "location": default["location"]})
            urls.append(
                {"item": item, "location": location, "lastmod": item.last_published_at, "alternates": alternates}
            )
        return urls
