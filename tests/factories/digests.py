"""Factories for the topic digests."""

import wagtail_factories

from digests.models import SubscribePage


class SubscribePageFactory(wagtail_factories.PageFactory):
    """The subscription page; give it ``parent`` (the home page)."""

    title = "Topic digests"
    slug = "subscribe"
    introduction = "New research and events on the topics you follow."
    show_in_menus = False

    class Meta:
        model = SubscribePage
