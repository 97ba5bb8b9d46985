"""The client's address, as login throttling and form rate limits must see it."""

from django.conf import settings


def client_ip(request):
    """The visitor's IP address, trusting ``HUB_PROXY_COUNT`` reverse proxies in front of the app.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the
    client is the entry that many places from the right; anything further left is client-supplied
    and not trusted. With no trusted proxy, the socket's address is the client.
    """
    proxies = getattr(settings, "HUB_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
