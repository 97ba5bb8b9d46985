"""Response headers that every public page carries."""

from django.conf import settings
from django.http import QueryDict
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import add_never_cache_headers, patch_cache_control


class SecurityHeadersMiddleware:
    """Add a strict Content-Security-Policy and Permissions-Policy to public responses.

    Hand-written rather than django-csp: one fixed policy with a path exemption for the Wagtail
    admin (which relies on inline script) is all the hub needs, and it is a dozen lines.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = tuple(settings.HUB_CSP_EXEMPT_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.exempt):
            response.headers.setdefault("Content-Security-Policy", settings.HUB_CSP)
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
