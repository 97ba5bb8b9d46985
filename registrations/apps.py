from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Registration for events: capacity, waiting list, approval, reminders, check-in."""

    name = "registrations"
    verbose_name = "Registrations"

    def ready(self):
        from wagtail.admin.panels import InlinePanel

        from events.models import EventPage
        from hub.extensions import (
            register_page_panels,
            register_page_routes,
            register_page_section,
            register_public_urls,
            register_root_urls,
        )
        from hub.install import permissions_ready
        from registrations import jobs, signals, urls, views
        from registrations.permissions import give_board_permission

        register_page_routes(EventPage, urls.page_patterns)
        register_public_urls(urls.public_patterns)
        register_root_urls(urls.admin_patterns)
        register_page_section(EventPage, views.section)
        register_page_panels(
            EventPage,
            _("Registration"),
            [
                InlinePanel(
                    "registration_settings",
                    max_num=1,
                    label=_("Registration on this site"),
                    heading=_("Registration on this site"),
                    help_text=_(
                        "Add these settings to take registrations here. Leave the event's own registration "
                        "link empty: an external link takes precedence. Registration closes at the event's "
                        "registration deadline, or when it starts."
                    ),
                )
            ],
        )
        signals.connect()
        jobs.register_jobs()
        permissions_ready.connect(give_board_permission, dispatch_uid="registrations-board-permission")
