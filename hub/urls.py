"""URL map: language-neutral endpoints first, then every public page under its language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hub import extensions, password_reset, routing, search, views
from hub.api import api_router
from hub.sitemaps import sitemap_index, sitemap_part

# A database outage is a 503 with Retry-After, not a 500 (hub.outage).
handler500 = "hub.outage.server_error"

urlpatterns = [
    # Before the admin's own: the same form, rate limited, mailing from the task worker (hub.password_reset).
    path(
        "admin/password_reset/",
        password_reset.QueuedPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    # URLs feature apps add outside the language prefix (hub.extensions), before the admin's own.
    *extensions.root_urls(),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    re_path(r"^sitemap-(?P<section>[a-z]{2,3}(?:-[a-z0-9]+)?)\.xml$", sitemap_part, name="sitemap_part"),
    path("", views.root_redirect, name="root_redirect"),
]

if settings.DEBUG:
    from pathlib import Path

    from django.conf.urls.static import static

    # Development serves image renditions only: original images and documents are never served
    # directly (documents go through the permission-checking serve view above).
    urlpatterns += static(f"{settings.MEDIA_URL}images/", document_root=Path(settings.MEDIA_ROOT) / "images")

urlpatterns += i18n_patterns(
    path("search/", search.search, name="search"),
    # Pages' own files (feed.rss, feed.atom, calendar.ics, event.ics): Wagtail's page URLs end in
    # a slash and allow no dot, so a final "name.ext" segment is handed to the page router here.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:rss|atom|ics))$", views.serve_page_file, name="serve_page_file"),
    # Public URLs that feature apps add and that belong to no page (hub.extensions).
    *extensions.public_urls(),
    # Wagtail's URLs, its page serving routed through remembered routes (hub.routing): same pattern and name.
    *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    prefix_default_language=True,
)
