from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EventsConfig(AppConfig):
    """Events and their calendars."""

    name = "events"
    verbose_name = "Events"

    def ready(self):
        from events import signals
        from events.digest import upcoming_events
        from events.home import home_events
        from events.install import translate_section
        from events.models import EventIndexPage
        from hub.permissions import register_section
        from hub.registry import register_digest_source, register_home_section

        signals.connect()
        register_digest_source(upcoming_events)
        register_home_section(home_events, order=20, sitewide=True)
        register_section(EventIndexPage, partners_propose=True)
        post_migrate.connect(translate_section, sender=self)
