"""Wagtail's Site lookup and page routing, remembered per page-cache generation (``hub.memo``).

Wagtail finds the Site (one query) and walks the tree from the locale's home page to the page
(two queries per level, plus the active Locale and the home's translation) on every request. Here
the Site's fields and each path's route (the page's id, type and ``url_path``, and the sub-route
of a routable page) are kept per generation, and so is the page itself: its row as loaded once
(live, at that ``url_path``, with its Locale), pickled, so every request unpickles its own fresh
instance (about 20-50 µs, against 1.2-1.7 ms to build and run the query; nothing a request sets on
its page reaches another). Every change that publishes, unpublishes, moves, saves a live page or
deletes one moves the generation on (``hub.invalidation``), so a kept page is never served after
such a change; only draft bookkeeping (``DRAFT_FIELDS``, never shown to the public) can differ.

A route whose page is no longer live at the same ``url_path`` is routed again by Wagtail and
remembered again. Paths that do not resolve (404) are never remembered. View restrictions and every
``before_serve_page`` hook still run on each request (``wagtail.views.serve``).
"""

import pickle

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation

from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from hub import memo, page_cache

SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")


def find_site(request):
    """Wagtail's ``Site.find_for_request``, remembered per generation (a new Site instance per request)."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()

        def lookup():
            site = Site._find_for_request(request)
            return {name: getattr(site, name) for name in SITE_FIELDS} if site is not None else None

        fields = memo.per_generation(("site", hostname, port), lookup)
        request._wagtail_site = Site(**fields) if fields is not None else None
    return request._wagtail_site


def _wagtail_route(request, site, components):
    """Wagtail's own routing from the active language's home page; returns the RouteResult and the route to keep."""
    home = site.root_page.localized.specific
    result = home.route(request, components)
    page = result.page
    consumed = page.depth - home.depth
    route = (page.pk, page.content_type_id, page.url_path, tuple(components[consumed:]))
    return result, route


def _kept_page(page_id, content_type_id, url_path):
    """A fresh instance of the live page ``page_id`` at ``url_path`` (with its Locale), unpickled from
    the copy kept this generation, or loaded (and kept) when there is none; None if it is not live there."""
    key = ("route-page", page_id, url_path)
    kept = memo.peek(key)
    if kept is not None:
        return pickle.loads(kept)  # noqa: S301 (bytes this process pickled, kept in its own memory)
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    page = model.objects.filter(pk=page_id, live=True, url_path=url_path).select_related("locale").first()
    if page is not None:
        memo.remember(key, pickle.dumps(page, pickle.HIGHEST_PROTOCOL))
    return page


def route(request, path):
    """The RouteResult of ``path`` (below the language prefix) for ``request``; None for a 404."""
    site = find_site(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    key = ("route", site.pk, translation.get_language(), tuple(components))
    remembered = memo.peek(key)
    if remembered is not None:
        page_id, content_type_id, url_path, rest = remembered
        page = _kept_page(page_id, content_type_id, url_path)
        if page is not None:
            try:
                return page.route(request, list(rest))
            except Http404:
                return None
    try:
        result, route = _wagtail_route(request, site, components)
    except Http404:
        return None
    if memo.current_generation() is not None:
        memo.remember(key, route)
        _kept_page(*route[:3])  # one more query now, so that the next requests make none for the page
    return result


def serve(request, path):
    """Wagtail's ``serve`` view, routed through the remembered route (see the module docstring)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = route(request, path)
    return wagtail_serve(request, path)


class SiteMiddleware:
    """Give public requests their Site from ``find_site`` (after ``hub.memo.GenerationMiddleware``), so
    Wagtail's ``Site.find_for_request`` finds it on the request instead of querying."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = page_cache.public_prefixes()

    def __call__(self, request):
        if request.path.startswith(self.prefixes):
            find_site(request)
            # Where Wagtail looks for the site root paths before its cache (every page URL needs them).
            request._wagtail_cached_site_root_paths = memo.per_generation(
                ("site-root-paths",), Site.get_site_root_paths
            )
        return self.get_response(request)
