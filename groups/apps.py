from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GroupsConfig(AppConfig):
    """Working groups: public summaries, members-only meetings and drafts, join requests."""

    name = "groups"
    verbose_name = "Working groups"

    def ready(self):
        from groups import signals
        from groups.install import set_up_groups, translate_section
        from hub.install import permissions_ready

        signals.connect()
        post_migrate.connect(translate_section, sender=self)
        permissions_ready.connect(set_up_groups, dispatch_uid="groups-set-up")
