from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Events and their calendars."""

    name = "events"
    verbose_name = "Events"

    def ready(self):
        from events import signals

        signals.connect()
