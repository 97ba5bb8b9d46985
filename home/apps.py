from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page and standard content pages."""

    name = "home"
    verbose_name = "Home and standard pages"
