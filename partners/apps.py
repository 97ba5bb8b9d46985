from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnersConfig(AppConfig):
    """Partner organisations, contributors, self-service editing and membership applications."""

    name = "partners"
    verbose_name = "Partners and people"

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from hub.install import permissions_ready
        from hub.periodic import register_periodic_job
        from hub.permissions import register_section, register_translatable_snippet
        from hub.registry import register_home_section, register_search_provider
        from partners.home import home_partners
        from partners.install import set_up_permissions, translate_sections
        from partners.isolation import PartnerPagePermissionPolicy, install_filter_restriction
        from partners.jobs import purge_declined_applications
        from partners.models import PartnerIndexPage, Person
        from partners.search import people_section

        register_home_section(home_partners, order=90, sitewide=True)
        register_search_provider(people_section)
        register_section(PartnerIndexPage)
        register_translatable_snippet(Person)
        post_migrate.connect(translate_sections, sender=self)
        permissions_ready.connect(set_up_permissions, dispatch_uid="partners-permissions")
        register_periodic_job("purge_declined_applications", timedelta(days=1), purge_declined_applications)
        # Partners see only their organisation's pages and people in the admin (partners.isolation).
        register_permission_policy(Page, PartnerPagePermissionPolicy(Page))
        install_filter_restriction()
