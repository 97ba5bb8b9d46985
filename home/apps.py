from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    """The home page and standard content pages."""

    name = "home"
    verbose_name = "Home and standard pages"

    def ready(self):
        from home.install import translate_home_page

        # Before the sections' apps (INSTALLED_APPS order): sections are translated under it.
        post_migrate.connect(translate_home_page, sender=self)
