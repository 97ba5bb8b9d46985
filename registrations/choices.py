"""Choices of the registration models (a leaf module: imports no models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    """Where a registration stands. Confirmed, pending and offered registrations hold a seat."""

    CONFIRMED = "confirmed", _("Confirmed")
    PENDING = "pending", _("Waiting for approval")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a seat")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Refused")


# Registrations that hold one of the event's seats.
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, RegistrationStatus.OFFERED)
# Registrations that are still active (not cancelled or refused): one per address and event.
ACTIVE = (*HOLDING, RegistrationStatus.WAITING)


class AccessNeed(models.TextChoices):
    """The accessibility checklist offered with every registration (all optional)."""

    STEP_FREE = "step-free", _("Step-free access")
    SIGN_LANGUAGE = "sign-language", _("Sign language interpretation")
    CAPTIONS = "captions", _("Live captions")
    HEARING_LOOP = "hearing-loop", _("Hearing loop")
    LARGE_PRINT = "large-print", _("Large print or screen-reader friendly materials")
    QUIET_SPACE = "quiet-space", _("A quiet space")
    ASSISTANCE = "assistance", _("A companion or assistance animal")
