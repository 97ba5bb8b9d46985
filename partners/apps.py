from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner organisations, contributors, self-service editing and membership applications."""

    name = "partners"
    verbose_name = "Partners and people"

    def ready(self):
        from hub.registry import register_home_section, register_search_provider
        from partners.home import home_partners
        from partners.search import people_section

        register_home_section(home_partners)
        register_search_provider(people_section)
