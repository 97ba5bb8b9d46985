"""Signed manage links: view, change or cancel a registration without an account.

The link carries the registration's id and its secret key, signed with the site's SECRET_KEY and
dated. It works on any event, public or members-only, because it belongs to no page (it is served
at ``/{lang}/registrations/<token>/``). A changed key (erasure, anonymisation) invalidates every
earlier link; links expire after ``HUB_REGISTRATION_LINK_DAYS`` (default 400 days).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from hub.site_address import public_url

SALT = "registrations.manage"


class LinkExpired(Exception):
    """The link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was altered, is for a registration that no longer exists, or was replaced."""


def max_age():
    return getattr(settings, "HUB_REGISTRATION_LINK_DAYS", 400) * 24 * 60 * 60


def make_token(registration):
    return signing.dumps([registration.pk, registration.key], salt=SALT, compress=True)


def manage_path(registration, language=None):
    """The path of the manage page, in the registrant's language."""
    with translation.override(language or registration.language):
        return reverse("registration_manage", args=[make_token(registration)])


def manage_url(registration, language=None):
    return public_url() + manage_path(registration, language)


def read_token(token):
    """``(pk, key)`` from a token; raises LinkExpired or LinkInvalid."""
    try:
        pk, key = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
    if not isinstance(pk, int) or not isinstance(key, str):
        raise LinkInvalid
    return pk, key
