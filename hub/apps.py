from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HubConfig(AppConfig):
    """Project package: shared building blocks for every content app."""

    name = "hub"
    verbose_name = "Securing Smart Cities hub"

    def ready(self):
        from hub import signals
        from hub.locales import ensure_locales

        post_migrate.connect(ensure_locales, sender=self)
        signals.connect()
