"""Publishing a result: a members' draft is proposed as a public page through the Board's review.

The target (registered by the app that owns the public page type, see
``hub.registry.ProposalTarget``) makes a new page that is not live, with the draft's history as
its earlier revisions, and starts its review. Links to members-only pages are unwrapped (their
text stays) in what is carried over, so the proposal names no page the public cannot see.
"""

import json
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import Page

from hub.registry import ProposalRefused

from .choices import DraftStatus

PAGE_LINK = re.compile(r'<a\b([^>]*\blinktype="page"[^>]*)>(.*?)</a>', re.DOTALL)
LINK_ID = re.compile(r'\bid="(\d+)"')
PROPOSED = "groups.propose"


class ProposalError(ProposalRefused):
    """The draft cannot be proposed (the message says why)."""


def _strings(value):
    """Every string inside stream data (rich text sits in block values, nested in lists and dicts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _link_id(match):
    found = LINK_ID.search(match.group(1))
    return int(found.group(1)) if found else None


def public_links_only(blocks):
    """Stream data (a list of blocks, or its JSON text) with links to non-public pages unwrapped."""
    as_text = isinstance(blocks, str)
    data = json.loads(blocks) if as_text else blocks
    ids = {_link_id(match) for text in _strings(data) for match in PAGE_LINK.finditer(text)} - {None}
    public = set(Page.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()

    def unwrap(value):
        if isinstance(value, str):
            return PAGE_LINK.sub(lambda m: m.group(0) if _link_id(m) in public else m.group(2), value)
        if isinstance(value, list):
            return [unwrap(item) for item in value]
        if isinstance(value, dict):
            return {key: unwrap(item) for key, item in value.items()}
        return value

    data = unwrap(data)
    return json.dumps(data) if as_text else data


def proposal_history(draft):
    """The draft's revisions, oldest first, as ``hub.history.import_history`` takes them."""
    versions = []
    for revision in draft.revisions.order_by("created_at", "pk").select_related("user"):
        content = revision.content
        versions.append(
            {
                "user": revision.user,
                "created_at": revision.created_at,
                "fields": {
                    "title": content.get("title", draft.title),
                    "summary": content.get("summary", ""),
                    "body": public_links_only(content.get("body") or "[]"),
                },
            }
        )
    return versions


@transaction.atomic
def propose(draft, target, user):
    """Propose ``draft`` through ``target``; the draft records where it went. Returns the new page."""
    if draft.proposed_page_id and Page.objects.filter(pk=draft.proposed_page_id).exists():
        raise ProposalError(_("This draft has already been proposed for publication."))
    latest = draft.get_latest_revision_as_object()
    page = target.propose(latest, user)
    had_unpublished_changes = draft.has_unpublished_changes
    latest.status = DraftStatus.PROPOSED
    latest.proposed_page = page
    latest.proposed_at = timezone.now()
    revision = latest.save_revision(user=user, log_action=False)
    if draft.live and not had_unpublished_changes:
        revision.publish(user=user, log_action=False)
    log(
        instance=draft,
        action=PROPOSED,
        user=user,
        data={"page": {"id": page.pk, "title": page.title}, "target": str(target.label)},
    )
    return page
