"""Choices shared by the partner models and the join form (a leaf module: imports no models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerType(models.TextChoices):
    """The kinds of organisation the initiative works with."""

    CITY_AUTHORITY = "city", _("City authority")
    SECURITY_RESEARCH = "research", _("Security research")
    SECURITY_VENDOR = "security-vendor", _("Security vendor")
    TECHNOLOGY_VENDOR = "technology-vendor", _("Equipment or software vendor")
    SUPPORTING = "supporting", _("Supporting organisation")


class ApplicationStatus(models.TextChoices):
    """Where a membership application stands."""

    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
