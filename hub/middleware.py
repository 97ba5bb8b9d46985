"""Response headers that every public page carries."""

from django.conf import settings


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
        return response
