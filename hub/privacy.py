"""Responses meant for one person: never stored by the page cache, a front-end cache or a browser.

A view or hook that serves members-only material calls ``mark_private(request)``;
``PrivateResponseMiddleware`` then makes the response ``Cache-Control: private, no-store`` whatever
the view set (Wagtail's own document view, for instance, sets nothing). It sits inside the page
cache, which stores nothing marked private.
"""

from django.utils.cache import add_never_cache_headers, patch_cache_control


def mark_private(request):
    """Make the response to ``request`` private and never stored."""
    request._hub_private_response = True


def is_marked_private(request):
    return getattr(request, "_hub_private_response", False)


def make_private(response):
    """``Cache-Control: private, no-store`` (and no-cache, max-age=0) on ``response``."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


class PrivateResponseMiddleware:
    """Apply ``make_private`` to responses whose request was marked with ``mark_private``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_marked_private(request):
            make_private(response)
        return response
