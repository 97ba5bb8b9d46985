"""What happens when the board accepts or declines a membership application."""

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import Locale

from .choices import ApplicationStatus
from .invitations import invite_partner
from .models import PartnerIndexPage, PartnerPage
from .permissions import setup_partner_access


class ApplicationError(Exception):
    """The application cannot be accepted (explained in the message)."""


def unique_slug(parent, title):
    """A slug for a new child of ``parent`` that no sibling uses yet."""
    base = slugify(title)[:60] or "partner"
    slug, number = base, 1
    while parent.get_children().filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def accept_application(application, user=None):
    """Create the draft profile, its group and collection, and invite the applicant. Returns the page."""
    if application.status == ApplicationStatus.ACCEPTED and application.partner_page_id:
        return application.partner_page
    index = PartnerIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is None:
        raise ApplicationError("There is no partner directory page to add the profile to.")
    page = PartnerPage(
        title=application.organisation,
        slug=unique_slug(index, application.organisation),
        partner_type=application.partner_type,
        country=application.country,
        website=application.website,
        live=False,
        owner=user,
    )
    index.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    setup_partner_access(page)
    invite_partner(page, application.email, language=application.language or settings.LANGUAGE_CODE)
    application.status = ApplicationStatus.ACCEPTED
    application.partner_page = page
    application.save(update_fields=["status", "partner_page", "updated_at"])
    return page


def decline_application(application):
    """Mark the application declined (purged after the retention period)."""
    application.status = ApplicationStatus.DECLINED
    application.save(update_fields=["status", "updated_at"])
