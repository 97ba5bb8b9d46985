"""The one invalidation mechanism: every change a visitor can see makes cached pages stale.

What counts as a visible change is decided when a signal fires, not when the receivers are
connected, so models registered later (snippets register while their apps load, after
``hub``) are covered:

- a page published, unpublished, moved or deleted, or saved while live (a draft save is not
  visible and is skipped);
- any snippet, site setting, Site, Locale, image, document or view restriction saved or deleted;
- any model a feature app declares with ``register_visible_model(model)``;
- an explicit ``invalidate(reason)`` (feature code whose change shows on pages without a save
  of such a model).

Each change queues a *flush* that runs after the transaction commits (at once outside one),
once per transaction however many changes it made (the local caches are also cleared at once,
see ``invalidate``). A flush moves the page-cache generation
on (``hub.page_cache``), forgets the cached labels (``hub.labels``) and calls every purger
registered with ``register_purger(func)`` (a front-end cache or CDN purge, for instance):
``func(flush)`` gets a ``Flush`` with the ids of the pages that changed and the reasons.
Nothing here raises into the caller: a cache that is down is logged and the publish completes.
"""

import logging
import threading
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import CollectionViewRestriction, Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from hub import labels, memo, page_cache

logger = logging.getLogger(__name__)

_purgers = []
_local = threading.local()
# Restrictions decide who sees a page or a file: a change to one is visible (a page made private
# must leave every cache at once).
_visible_models = [
    BaseSiteSetting,
    BaseGenericSetting,
    Site,
    Locale,
    AbstractImage,
    AbstractDocument,
    PageViewRestriction,
    CollectionViewRestriction,
]

# Fields a draft save writes on a live page or snippet: the public version does not change.
DRAFT_FIELDS = frozenset(
    {"latest_revision", "latest_revision_created_at", "has_unpublished_changes", "draft_title"}
    | {"locked", "locked_by", "locked_at"}
)


@dataclass
class Flush:
    """One batch of invalidation: the pages that changed (ids; may be empty) and why."""

    page_ids: set = field(default_factory=set)
    reasons: list = field(default_factory=list)
    done: bool = False


def register_purger(func):
    """Call ``func(flush)`` on every flush, after the page cache was made stale."""
    if func not in _purgers:
        _purgers.append(func)
    return func


def register_visible_model(model):
    """Saving or deleting an instance of ``model`` (or of a subclass) invalidates cached pages."""
    if model not in _visible_models:
        _visible_models.append(model)
    return model


def is_visible_model(model):
    """True when a save or delete of ``model`` changes what visitors see (checked at signal time)."""
    return issubclass(model, (*_visible_models, *get_snippet_models()))


def invalidate(reason, pages=()):
    """Make cached pages stale now and again after the current transaction commits. Never raises.

    The flush after commit is the one that counts: a request served between the change and the
    commit may have stored the old page again. The immediate clearing lets code later in the same
    transaction (and tests, which never commit) read fresh pages. Purgers run after commit only.
    """
    try:
        batch = Flush(page_ids={getattr(page, "pk", page) for page in pages}, reasons=[reason])
        if not connection.in_atomic_block:
            flush(batch)
            return
        clear_local_caches()
        _open_batches().append(batch)
        transaction.on_commit(partial(_flush_open_batches, batch), robust=True)
    except Exception:
        logger.exception("Could not queue cache invalidation (%s)", reason)


def _open_batches():
    """This thread's batches waiting for a commit (a rolled-back one joins the next flush: harmless)."""
    return _local.__dict__.setdefault("batches", [])


def _flush_open_batches(batch):
    """on_commit: the first callback of a commit flushes every open batch at once; the others find theirs done."""
    if batch.done:
        return
    batches = _open_batches()
    merged = Flush()
    for item in [*batches, batch]:
        merged.page_ids |= item.page_ids
        merged.reasons += [reason for reason in item.reasons if reason not in merged.reasons]
        item.done = True
    batches.clear()
    flush(merged)


def clear_local_caches():
    """Values kept per generation forgotten (``hub.memo``), labels too, and a new page-cache generation;
    each step logged, never raised."""
    # Labels first: a page rendered between the two steps must not keep old labels under the new generation.
    for step in (memo.changed, labels.clear_labels, page_cache.new_generation):
        try:
            step()
        except Exception:
            logger.exception("Cache invalidation step %s failed", step.__name__)


def flush(batch):
    """Run one flush now: new page-cache generation, labels forgotten, purgers called. Never raises."""
    batch.done = True
    clear_local_caches()
    for purger in list(_purgers):
        try:
            purger(batch)
        except Exception:
            logger.exception("Cache purger %r failed", purger)


# --- Signal receivers ---------------------------------------------------------------------


def _on_publish(sender, instance, **kwargs):
    invalidate(f"page {instance.pk} published", pages=[instance])


def _on_unpublish(sender, instance, **kwargs):
    invalidate(f"page {instance.pk} unpublished", pages=[instance])


def _on_move(sender, instance, **kwargs):
    invalidate(f"page {instance.pk} moved", pages=[instance])


def _on_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if isinstance(instance, Page):
        if instance.live and not (update_fields and set(update_fields) <= DRAFT_FIELDS):
            invalidate(f"page {instance.pk} saved", pages=[instance])
        return
    if update_fields and set(update_fields) <= DRAFT_FIELDS:
        return
    if is_visible_model(sender):
        invalidate(f"{sender._meta.label} {instance.pk} saved")


def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate(f"page {instance.pk} deleted", pages=[instance])
    elif is_visible_model(sender):
        invalidate(f"{sender._meta.label} {instance.pk} deleted")


def connect():
    """Connect the receivers (any sender; the model is checked when the signal fires)."""
    page_published.connect(_on_publish, dispatch_uid="hub-invalidate-publish")
    page_unpublished.connect(_on_unpublish, dispatch_uid="hub-invalidate-unpublish")
    post_page_move.connect(_on_move, dispatch_uid="hub-invalidate-move")
    post_save.connect(_on_save, dispatch_uid="hub-invalidate-save")
    post_delete.connect(_on_delete, dispatch_uid="hub-invalidate-delete")
