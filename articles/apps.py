from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """Research, news and guidelines."""

    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles.models import ArticleIndexPage
        from hub.registry import register_head_links

        register_head_links(ArticleIndexPage.feed_links)
