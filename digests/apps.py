from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DigestsConfig(AppConfig):
    """Topic digests by email: double opt-in subscriptions, periodic digests, one-click unsubscribe."""

    name = "digests"
    verbose_name = "Topic digests"

    def ready(self):
        from digests import views
        from digests.bounces import tracking_event
        from digests.digest import send_digests
        from digests.follow import follow_link
        from digests.install import set_up_permissions, translate_section
        from hub.extensions import register_public_urls
        from hub.install import permissions_ready
        from hub.periodic import register_periodic_job
        from hub.registry import register_follow_link

        register_public_urls(views.urlpatterns)
        register_follow_link(follow_link)
        register_periodic_job("send-digests", timedelta(hours=1), send_digests, timeout=timedelta(hours=2))
        post_migrate.connect(translate_section, sender=self)
        permissions_ready.connect(set_up_permissions, dispatch_uid="digests-permissions")
        try:  # bounces and complaints from django-anymail's tracking webhooks, when it is installed
            from anymail.signals import tracking
        except ImportError:
            pass
        else:
            tracking.connect(tracking_event, dispatch_uid="digests-anymail-tracking")
