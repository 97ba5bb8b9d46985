"""Site-wide views that belong to no content app."""

from datetime import timedelta

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from wagtail.models import Site

from hub import health, routing
from hub.models import SiteSettings
from hub.site_address import absolute_url


@require_safe
def root_redirect(request):
    """Send ``/`` to the visitor's best language: language cookie, then Accept-Language, then English."""
    language = translation.get_language_from_request(request)
    response = HttpResponseRedirect(f"/{language}/")
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@never_cache
@require_safe
def healthz(request):
    """JSON, one entry per dependency (``hub.health``): 200 when the instance can serve, 503 when
    the database cannot be reached. Answers within ``HUB_HEALTHZ_TIMEOUT`` seconds. Never cached."""
    checks = health.run_checks()
    status = 200 if checks["database"]["ok"] else 503
    return JsonResponse({"status": "ok" if status == 200 else "unavailable", "checks": checks}, status=status)


@require_safe
def robots_txt(request):
    """Keep crawlers out of the admin and point them at the sitemap."""
    return render(
        request, "robots.txt", {"sitemap_url": absolute_url(request, "/sitemap.xml")}, content_type="text/plain"
    )


@require_safe
def security_txt(request):
    """RFC 9116 security.txt: where to report a vulnerability, and the disclosure policy."""
    site = Site.find_for_request(request)
    site_settings = SiteSettings.for_site(site) if site else SiteSettings()
    policy = site_settings.disclosure_policy
    context = {
        "contact": site_settings.security_contact,
        "expires": (timezone.now() + timedelta(days=180)).replace(microsecond=0),
        "canonical": absolute_url(request, "/.well-known/security.txt"),
        "policy_url": policy.full_url if policy else "",
    }
    return render(request, "security.txt", context, content_type="text/plain; charset=utf-8")


def serve_page_file(request, path):
    """Serve a page's file-like sub-route (``events/calendar.ics``) through Wagtail's routing."""
    return routing.serve(request, f"{path}/")
