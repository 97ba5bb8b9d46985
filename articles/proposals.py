"""Guidelines proposed by working groups (``hub.registry.ProposalTarget``): a new guideline article,
not live, with the draft's history as its earlier revisions, in the Board's review."""

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale

from hub.history import import_history
from hub.registry import ProposalRefused, ProposalTarget

from .models import ArticleIndexPage, ArticleKind, ArticlePage


def _unique_slug(index, title):
    base = slugify(title)[:60] or "guideline"
    slug, number = base, 1
    while index.get_children().filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def propose_guideline(draft, user):
    """A draft guideline article in the default language's library, submitted to its review workflow."""
    index = ArticleIndexPage.objects.filter(
        locale=Locale.objects.get(language_code=settings.LANGUAGE_CODE), alias_of__isnull=True
    ).first()
    if index is None:
        raise ProposalRefused(_("There is no article library to propose the guideline to."))
    content = draft.proposal_content()
    article = ArticlePage(
        title=content["title"],
        slug=_unique_slug(index, content["title"]),
        kind=ArticleKind.GUIDELINE,
        date=timezone.localdate(),
        summary=content["summary"] or content["title"],
        body=content["body"],
        live=False,
        owner=user,
    )
    index.add_child(instance=article)
    group_page = getattr(draft, "working_group_page", None)
    import_history(article, draft.proposal_history(), source_label=group_page.title if group_page else "")
    article.save_revision(user=user, log_action=True)
    workflow = article.get_workflow()
    if workflow is not None:
        workflow.start(article, user)
    return article


GUIDELINE_TARGET = ProposalTarget("guideline", _("A guideline in the article library"), propose_guideline)
