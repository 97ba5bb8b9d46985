"""Uploaded files stay private until a published page uses them.

Partners upload logos and documents for drafts the Board has not reviewed yet; editors upload
files before the page that links them goes live. Such a file must not reach the public: a
document or image is public only while a **live, public page** uses it, as recorded by
Wagtail's reference index (which follows fields, StreamField blocks, rich text links and inline
panels, and indexes a page's live content: drafts live in revisions). Until then:

- the document serve view (``/documents/<id>/<name>``, whatever the storage: local disk,
  X-Accel-Redirect or object storage) answers 404, except to signed-in users allowed to see the
  file (who may work with its collection, or uploaded it);
- the public API lists neither the document nor the image.

Documents in a collection with its own view restriction (members-only working groups) follow
that restriction instead (Wagtail's collection privacy). Original images are never served
directly (not by the app, not by ``deploy/``'s nginx); renditions are public files by Wagtail's
design (see SECURITY.md).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField
from django.db.models.functions import Cast
from django.http import Http404

from wagtail.models import CollectionViewRestriction, Page, ReferenceIndex
from wagtail.permissions import policy_registry

# A user who may do any of these with a file's collection may see the file before it is public.
FILE_ACTIONS = ["add", "change", "choose", "delete"]


def _live_public_page_ids():
    """Ids (as text, like the reference index stores them) of every live page without view restriction."""
    return Page.objects.live().public().annotate(id_text=Cast("pk", CharField())).values("id_text")


def used_by_live_pages(model):
    """A subquery of the ids of ``model`` objects (documents, images) that live public pages use."""
    return (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(model),
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=_live_public_page_ids(),
        )
        .annotate(to_id=Cast("to_object_id", BigIntegerField()))
        .values("to_id")
    )


def public_files(queryset):
    """``queryset`` (of documents or images) restricted to the files live public pages use."""
    return queryset.filter(pk__in=used_by_live_pages(queryset.model))


def is_public(obj):
    """True when a live public page uses ``obj`` (a document or image)."""
    return used_by_live_pages(type(obj)).filter(to_object_id=str(obj.pk)).exists()


def user_may_see(user, obj):
    """True when ``user`` may see ``obj`` before it is public: they may work with its collection or uploaded it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or getattr(obj, "uploaded_by_user_id", None) == user.pk:
        return True
    return policy_registry.get_by_type(type(obj)).user_has_any_permission_for_instance(user, FILE_ACTIONS, obj)


def usable_by(queryset, user):
    """``queryset`` of documents or images limited to those ``user`` may work with (their collections)."""
    policy = policy_registry.get_by_type(queryset.model)
    return queryset.filter(pk__in=policy.instances_user_has_any_permission_for(user, FILE_ACTIONS).values("pk"))


def has_own_restriction(document):
    """True when the document's collection (or a parent) has a view restriction of its own."""
    return CollectionViewRestriction.objects.filter(
        collection__in=document.collection.get_ancestors(inclusive=True)
    ).exists()


def check_document_access(document, request):
    """``before_serve_document`` hook: 404 for a document no live public page uses, unless the user may see it.

    A document served to a signed-in user before it is public is marked private (never stored by
    a shared cache): ``hub.middleware`` reads ``request.hub_private_response``.
    """
    if has_own_restriction(document) or is_public(document):
        return None
    if user_may_see(request.user, document):
        request.hub_private_response = True
        return None
    raise Http404("No such document.")
