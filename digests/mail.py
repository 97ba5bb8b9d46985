"""The mails of the topic digests, rendered in the subscriber's language (HTML and text, RTL for Arabic)."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hub.site_address import public_url
from hub.tasks import build_email, send_email

from .tokens import CONFIRM_DAYS, PREFERENCES_SALT, UNSUBSCRIBE_SALT, key_token

ONE_CLICK = "List-Unsubscribe=One-Click"


def absolute(path):
    return public_url() + path


def subscribe_path(language):
    return f"/{language}/subscribe/"


def unsubscribe_url(subscriber):
    """The per-recipient one-click unsubscribe address (RFC 8058)."""
    token = key_token(subscriber.key, UNSUBSCRIBE_SALT)
    return absolute(f"/{subscriber.language}/subscribe/unsubscribe/{token}/")


def preferences_url(subscriber):
    token = key_token(subscriber.key, PREFERENCES_SALT)
    return absolute(f"/{subscriber.language}/subscribe/preferences/{token}/")


def send_confirmation(email, language, token):
    """Mail the confirmation link (through the task queue); nothing is sent to the address before it is used."""
    url = absolute(f"{subscribe_path(language)}confirm/{token}/")
    with translation.override(language):
        subject = _("Confirm your Securing Smart Cities topic digest")
        body = _(
            "Someone, probably you, asked to receive the Securing Smart Cities topic digest at this address.\n\n"
            "To confirm, open this link within %(days)s days:\n%(url)s\n\n"
            "If you did not ask for it, ignore this message: nothing will be sent to you."
        ) % {"days": CONFIRM_DAYS, "url": url}
    send_email.enqueue(to=email, subject=str(subject), body=str(body))
    return url


def digest_message(subscriber, digest, sections):
    """The digest for one subscriber: an ``EmailMultiAlternatives`` with text and HTML parts and the
    one-click unsubscribe headers."""
    language = subscriber.language
    with translation.override(language):
        context = {
            "digest": digest,
            "sections": sections,
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
            "preferences_url": preferences_url(subscriber),
            "unsubscribe_url": unsubscribe_url(subscriber),
            "archive_url": absolute(f"{subscribe_path(language)}archive/{digest.pk}/"),
            "site_url": absolute(f"/{language}/"),
        }
        count = sum(len(section["items"]) for section in sections)
        subject = _("Securing Smart Cities digest: %(count)s new on your topics") % {"count": count}
        text = render_to_string("digests/email/digest.txt", context)
        html = render_to_string("digests/email/digest.html", context)
    return build_email(
        subscriber.email,
        str(subject),
        text,
        html=html,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": ONE_CLICK,
            "List-Id": f"Securing Smart Cities digest <digest-{language}.securingsmartcities.org>",
        },
    )
