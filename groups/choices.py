"""Choices of the working groups (a leaf module: imports no models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TLP(models.TextChoices):
    """Traffic Light Protocol 2.0 sharing labels (FIRST).

    The standard says the labels stay in their original form in every language, so the label
    text is never translated; ``TLP_DESCRIPTIONS`` explains each one in the reader's language.
    """

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber-strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


TLP_DESCRIPTIONS = {
    TLP.CLEAR: _("Disclosure is not limited."),
    TLP.GREEN: _("Limited disclosure: recipients may share it within their community, not publicly."),
    TLP.AMBER: _(
        "Limited disclosure: recipients may share it on a need-to-know basis within their organisation and its clients."
    ),
    TLP.AMBER_STRICT: _(
        "Limited disclosure: recipients may share it on a need-to-know basis within their organisation only."
    ),
    TLP.RED: _("For the eyes and ears of individual recipients only, no further disclosure."),
}


class JoinRequestStatus(models.TextChoices):
    """Where a request to join a working group stands."""

    PENDING = "pending", _("Waiting for a chair")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DraftStatus(models.TextChoices):
    """How far a draft has come."""

    WORKING = "working", _("Working draft")
    CONSULTATION = "consultation", _("Open for comments")
    PROPOSED = "proposed", _("Proposed for publication")
