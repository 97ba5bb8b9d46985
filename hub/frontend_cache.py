"""The front-end cache (Varnish, ``deploy/varnish/hub.vcl``) purged on every visible change.

Wagtail's ``wagtail.contrib.frontend_cache`` sends the purge; this module decides what to purge.
One edit can change every language's copy of a page, the listings and menus that show it, the
feeds, calendars and the sitemap, so, like the hub's own page cache (one generation counter), a
change purges each site's whole tree: the hub sends ``PURGE /`` for every Site, and the VCL bans
every object of that host whose path starts with the purged path. Purging is a purger of the one invalidation mechanism (``hub.invalidation.register_purger``): it runs
after commit, in the process that made the change, so the next request through the cache sees it.
"""

import logging
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from wagtail import __version__
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Site

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 3


class BanBackend(HTTPBackend):
    """Wagtail's HTTP purge backend with a timeout: a cache that hangs cannot hold up a publish."""

    def purge(self, url):
        parts = urlsplit(url)
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path or "/", parts.query, ""]),
            headers={"Host": parts.netloc, "User-Agent": f"Wagtail-frontendcache/{__version__}"},
        )
        try:
            with urlopen(request, timeout=PURGE_TIMEOUT_SECONDS):  # noqa: S310 (the configured cache)
                pass
        except (URLError, OSError) as error:
            logger.error("Could not purge %s from the front-end cache: %s", url, error)


def site_root_urls():
    """The root URL of every Site (its public address, set by migrate from HUB_PUBLIC_URL)."""
    return sorted({f"{site.root_url}/" for site in Site.objects.all()})


def purge_everything(flush=None):
    """Purge every site's whole tree from each configured front-end cache; never raises.

    ``flush`` (a ``hub.invalidation.Flush``) says which pages changed; the whole tree goes anyway,
    as explained above.
    """
    backends = get_backends()
    if not backends:
        return
    try:
        urls = site_root_urls()
    except Exception:
        logger.exception("Could not list the sites to purge from the front-end cache")
        return
    for backend in backends.values():
        for url in urls:
            backend.purge(url)
