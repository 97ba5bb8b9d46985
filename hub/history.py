"""Carry a page's history over to another page: each past version becomes a revision of the new
page, with its author and date, and a line in the new page's history.

Used when a members-only draft is proposed for publication: the Board reviews the result knowing
how it came about, and the public page keeps that history (``hub.registry.ProposalTarget``).
"""

from django.db import transaction

from wagtail.models import PageLogEntry, Revision

IMPORTED_REVISION = "hub.imported_revision"


@transaction.atomic
def import_history(page, versions, source_label=""):
    """Add ``versions`` (oldest first; each ``{"user", "created_at", "fields": {name: value}}``) to
    ``page`` as revisions: the page's own content with those fields replaced. Returns the revisions.

    Field values are as revisions store them (a StreamField as its JSON text). The page's latest
    revision is left as it was; call ``save_revision`` afterwards for the version under review.
    """
    base = page.serializable_data()
    revisions = []
    for version in versions:
        content = {**base, **version["fields"]}
        if "title" in version["fields"]:
            content["draft_title"] = version["fields"]["title"]
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=version.get("user"),
            content=content,
            created_at=version["created_at"],
            object_str=str(content.get("title", page.title)),
        )
        PageLogEntry.objects.log_action(
            page,
            IMPORTED_REVISION,
            user=version.get("user"),
            revision=revision,
            timestamp=version["created_at"],
            data={"source": source_label},
            content_changed=True,
        )
        revisions.append(revision)
    return revisions
