"""Response headers: the two Content-Security-Policies, Permissions-Policy, private files."""

from csp.constants import SELF
from csp.middleware import CSPMiddleware

from django.conf import settings
from django.http import QueryDict
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import add_never_cache_headers, patch_cache_control

from hub import csp


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies: the public site's (``CONTENT_SECURITY_POLICY``,
    no inline script or style at all) and the Wagtail admin's (``HUB_ADMIN_CSP``, the strictest
    under which the admin works; the README says which allowances remain and why).

    A view can still set its own policy with django-csp's decorators, and a response that already
    carries the header keeps it (Wagtail's document serve view sends ``default-src 'none'``).
    """

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(settings.HUB_ADMIN_PREFIX):
            # Admin widgets render without the request: hub.csp hands them its nonce. Made now, so
            # every admin response carries the same policy (with a fresh nonce) whatever it holds.
            str(request.csp_nonce)
            request._hub_csp_token = csp.set_admin_request(request)

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        finally:
            token = getattr(request, "_hub_csp_token", None)
            if token is not None:
                csp.reset_admin_request(token)
                del request._hub_csp_token

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(settings.HUB_ADMIN_PREFIX):
            parts.config = dict(settings.HUB_ADMIN_CSP["DIRECTIVES"])
        elif getattr(request, "is_dummy", False):
            # A preview: Wagtail renders the public page through the whole middleware chain for the
            # admin's preview panel, which frames it. The public policy, framable by the admin only.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; files served before they are public are never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        if getattr(request, "hub_private_response", False):
            # A file served to a signed-in user before it is public (hub.files): no shared cache keeps it.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class StripNullCharactersMiddleware:
    """Drop NUL characters from query parameters before any view sees them.

    No legitimate link carries one, PostgreSQL refuses them in text (a 500 if they reach a
    query), and SQLite accepts them: stripping them here keeps every filter and search on
    every database answering ``?tag=%00`` like ``?tag=``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 from a language-neutral endpoint stays a 404.

    Django redirects any 404 outside the language prefixes to the same path under ``/<lang>/``
    when that path would resolve, and Wagtail's page route resolves almost anything: a missing
    ``/api/v2/documents/9/`` would become a redirect to an HTML page that does not exist either.
    """

    NEUTRAL_PREFIXES = ("/api/", "/documents/")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.NEUTRAL_PREFIXES):
            return response
        return super().process_response(request, response)
