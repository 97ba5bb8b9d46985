from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """Research, news and guidelines."""

    name = "articles"
    verbose_name = "Articles"
