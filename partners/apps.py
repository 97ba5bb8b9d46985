from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner organisations, contributors, self-service editing and membership applications."""

    name = "partners"
    verbose_name = "Partners and people"
