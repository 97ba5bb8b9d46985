from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content as data files and the command that loads them (development and tests only)."""

    name = "demo"
    verbose_name = "Demo content"
