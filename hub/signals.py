"""Signal handlers shared by every app (cache invalidation itself is ``hub.invalidation``)."""

from django.db.models.signals import post_delete, post_save

from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished

from hub import invalidation, labels
from hub.models import Topic


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
    post_save.connect(labels.create_default_label, sender=Topic, dispatch_uid="hub-topic-default-label")
    invalidation.connect()
