"""The digests' way to follow topics, for the footer and topic pages (``hub.registry.register_follow_link``)."""

from django.utils import translation
from django.utils.translation import gettext as _

from hub.registry import FollowLink

from .models import SubscribePage


def follow_link(language_code):
    """A link to the subscription page of ``language_code`` (None when there is none)."""
    page = SubscribePage.objects.live().filter(locale__language_code=language_code).first()
    url = page.url if page is not None else None
    if not url:
        return None
    with translation.override(language_code):
        return FollowLink(str(_("Topic digests by email")), url, str(_("Get these topics by email")))
