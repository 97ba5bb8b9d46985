"""The client's address, as login throttling and form rate limits must see it (``hub.ratelimit``)."""

from hub.ratelimit import client_address

# django-axes' AXES_CLIENT_IP_CALLABLE names this function.
client_ip = client_address

__all__ = ["client_address", "client_ip"]
