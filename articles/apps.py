from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    """Research, news and guidelines."""

    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles.digest import new_articles
        from articles.home import home_articles
        from articles.install import translate_section
        from articles.models import ArticleIndexPage
        from articles.proposals import GUIDELINE_TARGET
        from hub.permissions import register_section
        from hub.registry import (
            register_digest_source,
            register_head_links,
            register_home_section,
            register_proposal_target,
        )

        register_head_links(ArticleIndexPage.feed_links)
        register_home_section(home_articles, order=10, sitewide=True)
        register_digest_source(new_articles)
        register_proposal_target(GUIDELINE_TARGET)
        register_section(ArticleIndexPage, partners_propose=True)
        post_migrate.connect(translate_section, sender=self)
