"""The Board's dashboard panel (issue #13): what waits for its review, with a fixed number of queries.

Board members and superusers see every item in review, by whom and since when; it takes the place
of Wagtail's "Awaiting your review" panel for them (the same items). Partners never see this panel:
theirs is Wagtail's "Your pages in workflow", limited to their own work.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import Page, TaskState, get_default_page_content_type

from .permissions import BOARD_GROUP

BOARD_REVIEW_SHOWN = 15


def is_reviewer(user):
    """Board members and superusers review partners' changes."""
    return user.is_superuser or user.groups.filter(name=BOARD_GROUP).exists()


class BoardReviewPanel(Component):
    """"Awaiting Board review": what waits for the signed-in reviewer, oldest request last."""

    name = "partners_board_review"
    template_name = "partners/admin/board_review_panel.html"
    order = 220

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        states = (
            TaskState.objects.reviewable_by(request.user)
            .select_related("revision", "workflow_state__requested_by", "task")
            .order_by("-started_at")
        )
        total = states.count()
        shown = list(states[:BOARD_REVIEW_SHOWN])
        pages = Page.objects.in_bulk([int(state.revision.object_id) for state in shown if is_page(state.revision)])
        rows = []
        for state in shown:
            page = pages.get(int(state.revision.object_id)) if is_page(state.revision) else None
            rows.append(
                {
                    "title": page.get_admin_display_title() if page else state.revision.object_str,
                    "kind": page.specific_class._meta.verbose_name if page and page.specific_class else "",
                    "locale_id": page.locale_id if page else None,
                    "requested_by": state.workflow_state.requested_by,
                    "started_at": state.started_at,
                    "task": state.task.name,
                    "url": reverse("wagtailadmin_pages:edit", args=[page.pk]) if page else "",
                }
            )
        return {
            **super().get_context_data(parent_context),
            "rows": rows,
            "total": total,
            "more": total - len(rows),
            "report_url": reverse("wagtailadmin_reports:workflow"),
            "heading": _("Awaiting Board review"),
        }


def is_page(revision):
    return revision.base_content_type_id == get_default_page_content_type().id


def board_review_panel(request, panels):
    """The ``construct_homepage_panels`` hook: the Board's panel replaces Wagtail's review panel."""
    if not is_reviewer(request.user):
        return
    panels[:] = [panel for panel in panels if not isinstance(panel, WorkflowObjectsToModeratePanel)]
    panels.append(BoardReviewPanel())
