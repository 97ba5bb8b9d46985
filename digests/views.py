"""One-click unsubscribe (RFC 8058): the address in every digest's ``List-Unsubscribe`` header.

A POST, from a mail client's unsubscribe button or the confirmation page, unsubscribes without a
cookie or a CSRF token (mail clients send neither) and answers 200 whatever the token, so the
endpoint tells nobody which links are real. A GET (a person following the link, or a scanner
prefetching it) only shows the page with the button: it never unsubscribes.
"""

from django.shortcuts import render
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Subscriber
from .tokens import UNSUBSCRIBE_SALT, read_key


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    done = False
    if request.method == "POST":
        key = read_key(token, UNSUBSCRIBE_SALT)
        subscriber = Subscriber.objects.filter(key=key).first() if key else None
        if subscriber is not None:
            subscriber.unsubscribe()
        done = True
    response = render(request, "digests/unsubscribe.html", {"done": done})
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [path("subscribe/unsubscribe/<str:token>/", unsubscribe, name="digests_unsubscribe")]
