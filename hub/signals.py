"""Signal handlers shared by every app."""

from django.db.models.signals import post_delete, post_save

from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from hub import labels, page_cache
from hub.models import FooterText, SiteSettings, Topic, TopicLabel


def clear_site_root_paths(sender, instance, **kwargs):
    """Forget cached site root paths when a top-level page (a site root or its translation) changes.

    Wagtail caches each site's root paths per language, but only clears that cache when a Site is
    saved; a new translation of the home page would stay unreachable until the cache expired.
    """
    if getattr(instance, "depth", None) == 2:
        Site.clear_site_root_paths_cache()


def connect():
    """Connect the handlers (any sender: page subclasses send their own signals)."""
    post_save.connect(clear_site_root_paths, dispatch_uid="hub-root-paths-save")
    post_delete.connect(clear_site_root_paths, dispatch_uid="hub-root-paths-delete")
    page_published.connect(clear_site_root_paths, dispatch_uid="hub-root-paths-publish")
    page_unpublished.connect(clear_site_root_paths, dispatch_uid="hub-root-paths-unpublish")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(labels.clear_labels, dispatch_uid=f"hub-labels-page-{id(signal)}")
    for model in (TopicLabel, FooterText, Topic, SiteSettings):
        post_save.connect(labels.clear_labels, sender=model, dispatch_uid=f"hub-labels-save-{model.__name__}")
        post_delete.connect(labels.clear_labels, sender=model, dispatch_uid=f"hub-labels-delete-{model.__name__}")
    post_save.connect(labels.create_default_label, sender=Topic, dispatch_uid="hub-topic-default-label")
    connect_page_cache_invalidation()


def connect_page_cache_invalidation():
    """Any publish, unpublish, move or delete of a page, any change to a snippet, a setting or a
    site, and any change to who may see a page or a collection, makes cached anonymous pages stale."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_cache.invalidate, dispatch_uid=f"hub-page-cache-{id(signal)}")
    post_delete.connect(_invalidate_for_page, dispatch_uid="hub-page-cache-page-delete")
    for model in [*get_snippet_models(), SiteSettings, Site, PageViewRestriction, CollectionViewRestriction]:
        post_save.connect(page_cache.invalidate, sender=model, dispatch_uid=f"hub-page-cache-save-{model.__name__}")
        post_delete.connect(page_cache.invalidate, sender=model, dispatch_uid=f"hub-page-cache-del-{model.__name__}")


def _invalidate_for_page(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_cache.invalidate()
