"""Validators for text that visitors type: one-line fields hold one line, and nothing invisible.

A line break in a one-line field ends up in mail headers, CSV exports and log lines, where it
starts a new header or record; other control characters are invisible in the admin and break
mail transports. Forms refuse them with a clear error; code that builds a mail subject from
stored text passes it through ``one_line`` whatever the database holds.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters (Cc), the line and paragraph separators (Zl, Zp), and the bidirectional
# overrides and isolates that can reorder how a name reads in the admin or a mail client.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MULTILINE_ALLOWED = set("\n\r\t")


def _forbidden(character):
    return unicodedata.category(character) in {"Cc", "Zl", "Zp"} or character in _BIDI_CONTROLS


def validate_single_line(value):
    """Refuse line breaks, tabs and every other control character in a one-line field."""
    if any(_forbidden(character) for character in value):
        raise ValidationError(
            _("Enter this on one line, without line breaks or other control characters."),
            code="control_characters",
        )


def validate_multi_line(value):
    """Refuse control characters other than line breaks and tabs in a multi-line field."""
    if any(_forbidden(character) and character not in _MULTILINE_ALLOWED for character in value):
        raise ValidationError(_("Remove the invisible control characters from this text."), code="control_characters")


def one_line(value, max_length=150):
    """``value`` as one line of plain text (for a mail subject or a log line): every run of
    whitespace and control characters becomes one space, and it is cut to ``max_length``."""
    cleaned = "".join(" " if _forbidden(character) else character for character in str(value))
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= max_length else cleaned[: max_length - 1].rstrip() + "…"
