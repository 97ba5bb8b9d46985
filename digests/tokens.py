"""Signed links of the topic digests: nothing guessable, nothing stored before confirmation.

- The **confirmation link** carries the whole request (address, language, topics, frequency,
  consent text version, time), signed: nothing is stored until it is used, and it works for
  ``CONFIRM_DAYS`` days. An expired link still proves what was asked, so it can be sent again.
- **Preference and unsubscribe links** carry the subscriber's random key, signed (a changed or
  made-up link is refused without a database look-up).

Tokens are URL-safe base64 of the signed value (only letters, digits, ``-`` and ``_``), so they fit
in a path segment of a page route.
"""

import base64
import binascii
import time
from datetime import timedelta

from django.core import signing


def _wrap(signed):
    return base64.urlsafe_b64encode(signed.encode()).decode("ascii").rstrip("=")


def _unwrap(token):
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


CONFIRM_DAYS = 3
CONFIRM_MAX_AGE = timedelta(days=CONFIRM_DAYS)
CONFIRM_SALT = "digests.confirm"
PREFERENCES_SALT = "digests.preferences"
UNSUBSCRIBE_SALT = "digests.unsubscribe"


class Expired(Exception):
    """The link is genuine but too old; ``request`` is what it asked for."""

    def __init__(self, request):
        super().__init__("expired")
        self.request = request


class Invalid(Exception):
    """The link was changed or made up."""


def confirmation_token(email, language, topic_ids, frequency, consent_version, now=None):
    """The signed request a confirmation link carries."""
    payload = {
        "e": email,
        "l": language,
        "t": sorted(topic_ids),
        "f": frequency,
        "v": consent_version,
        "at": int(now if now is not None else time.time()),
    }
    return _wrap(signing.dumps(payload, salt=CONFIRM_SALT, compress=True))


def read_confirmation(token, *, allow_expired=False):
    """The request in ``token``; raises ``Expired`` (with the request) or ``Invalid``."""
    token = _unwrap(token)
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=None if allow_expired else CONFIRM_MAX_AGE)
    except signing.SignatureExpired as error:
        try:
            request = signing.loads(token, salt=CONFIRM_SALT, max_age=None)
        except signing.BadSignature:
            raise Invalid from error
        raise Expired(request) from error
    except signing.BadSignature as error:
        raise Invalid from error


def key_token(key, salt):
    return _wrap(signing.Signer(salt=salt).sign(key))


def read_key(token, salt):
    """The subscriber key in a preference or unsubscribe token, or None when it is not genuine."""
    try:
        return signing.Signer(salt=salt).unsign(_unwrap(token))
    except signing.BadSignature:
        return None
