"""Dashboard panels for editors (issue #13): their own drafts, and how far the translations are.

Each panel costs a fixed number of queries, whatever the number of pages. Neither shows anything
of another organisation's work: the drafts are the signed-in user's own (pages they own or last
changed), and the translation status gives counts only, to those who may translate.
"""

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Page, WorkflowState, get_default_page_content_type

from hub import translation_status

DRAFTS_SHOWN = 10


class DraftsPanel(Component):
    """"Your drafts": pages the user owns or last changed that have unpublished changes, newest first."""

    name = "hub_drafts"
    template_name = "hub/admin/dashboard/drafts.html"
    order = 230

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        in_review = WorkflowState.objects.active().filter(
            base_content_type_id=get_default_page_content_type().id,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),  # a generic relation: a string
        )
        drafts = (
            Page.objects.filter(Q(owner=user) | Q(latest_revision__user=user), has_unpublished_changes=True)
            .annotate(in_review=Exists(in_review))
            .annotate_approved_schedule()
            .order_by("-latest_revision_created_at", "-pk")
        )
        rows = [
            {
                "page": page,
                "kind": page.specific_class._meta.verbose_name if page.specific_class else "",
                "status": draft_status(page),
                "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            }
            for page in drafts[:DRAFTS_SHOWN]
        ]
        return {**super().get_context_data(parent_context), "rows": rows, "request": request}


def draft_status(page):
    """What an editor needs to know of a draft, in words."""
    if page.in_review:
        return _("In review")
    if page._approved_schedule:
        return _("Scheduled")
    if page.live:
        return _("Live, with unpublished changes")
    return _("Draft")


class TranslationStatusPanel(Component):
    """Per language: how many pages and snippets are translated, out of date or missing."""

    name = "hub_translation_status"
    template_name = "hub/admin/dashboard/translation_status.html"
    order = 240

    def get_context_data(self, parent_context):
        locales = list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code"))
        rows = [*translation_status.page_rows(locales), *translation_status.snippet_rows(locales)]
        counts = translation_status.summary(rows, locales)
        return {
            **super().get_context_data(parent_context),
            "languages": [(locale, counts[locale.language_code]) for locale in locales],
            "report_url": reverse("hub_translation_status"),
        }


def editor_panels(request, panels):
    """The ``construct_homepage_panels`` hook: add the drafts, and the translations for translators."""
    panels.append(DraftsPanel())
    if request.user.has_perm("wagtail_localize.submit_translation"):
        panels.append(TranslationStatusPanel())

