"""The Site's public address comes from configuration, not from whoever sent the request.

``HUB_PUBLIC_URL`` (default: ``WAGTAILADMIN_BASE_URL``) is applied to the default Site on every
``migrate``; Wagtail builds every absolute link from the Site (canonical and hreflang links, the
sitemap, feeds, calendars), so they all carry the public address. A system check warns at start-up
when the Site and the configuration disagree.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def public_url():
    """The configured public address, e.g. ``https://hub.example.org``."""
    return (getattr(settings, "HUB_PUBLIC_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def configured_address():
    """``(hostname, port)`` of the public address; ``https`` without a port is 443, so Wagtail's root URL is https."""
    parts = urlsplit(public_url())
    return parts.hostname or "localhost", parts.port or DEFAULT_PORTS.get(parts.scheme, 80)


def apply_site_address(**kwargs):
    """post_migrate: give the default Site the configured hostname and port (idempotent)."""
    hostname, port = configured_address()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])


def absolute_url(request, path):
    """``path`` on the public address of the request's Site (not on the Host the request came with)."""
    site = Site.find_for_request(request)
    base = site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")
    return base + path


@checks.register()
def check_site_address(app_configs=None, databases=None, **kwargs):
    """Warn when the default Site's address is not the configured public address.

    Unlike Django's database checks it runs when no database is named, so ``runserver`` and
    ``manage.py check`` report it at start-up; ``migrate``, which names its database, applies the
    address itself and is not told to. A database that is missing or not migrated yet is left
    alone (and no SQLite file is created just to look).
    """
    if databases is not None:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and not (
        connection.is_in_memory_db() or Path(connection.settings_dict["NAME"]).is_file()
    ):
        return []
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        return []  # not migrated yet: migrate applies the address
    if site is None or (site.hostname, site.port) == configured_address():
        return []
    return [
        checks.Warning(
            f"The default Site answers as {site.root_url} but the public address is {public_url()} "
            "(HUB_PUBLIC_URL or WAGTAILADMIN_BASE_URL); run `manage.py migrate` to apply it.",
            id="hub.W001",
        )
    ]
