from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GroupsConfig(AppConfig):
    """Working groups: public summaries, members-only meetings and drafts, join requests."""

    name = "groups"
    verbose_name = "Working groups"

    def ready(self):
        from groups import signals
        from groups.install import set_up_groups, translate_section
        from groups.privacy import admin_scope, hidden_members_pages
        from hub.install import permissions_ready
        from hub.permissions import register_admin_page_scope, register_hidden_pages

        signals.connect()
        register_admin_page_scope(admin_scope)
        register_hidden_pages(hidden_members_pages)
        post_migrate.connect(translate_section, sender=self)
        permissions_ready.connect(set_up_groups, dispatch_uid="groups-set-up")
