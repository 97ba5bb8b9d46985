"""Registration for events: the settings an event page carries, and the registrations themselves.

An event takes registrations on this site when its page has registration settings (an inline in
the event editor's "Registration" tab, added through ``hub.extensions``). Settings are copied into
every translation: numbers and switches are synchronised, questions and the confirmation text are
translated. Registrations belong to the event in the default language (``event_of``), so the seats
of ``/en/events/x/`` and ``/ar/events/x/`` are the same seats.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from events.choices import EventStatus
from events.models import EventPage

from .choices import ACTIVE, HOLDING, RegistrationStatus


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short answer")
    LONG_TEXT = "long-text", _("Long answer")
    CHOICE = "choice", _("One of the choices")
    CHOICES = "choices", _("Any of the choices")


class QuestionBlock(blocks.StructBlock):
    """One question of an event's registration form."""

    label = blocks.CharBlock(label=_("Question"), max_length=200)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)
    kind = blocks.ChoiceBlock(label=_("Kind of answer"), choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=100), label=_("Choices"), default=[], help_text=_("For questions with choices.")
    )
    required = blocks.BooleanBlock(label=_("Answer required"), required=False)

    class Meta:
        icon = "help"
        label = _("Question")


class QuestionsBlock(blocks.StreamBlock):
    question = QuestionBlock()


class RegistrationSettings(TranslatableMixin, models.Model):
    """How an event takes registrations on this site (one per event page and language)."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="registration_settings")
    opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: as soon as the event is published.")
    )
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("How many people may attend; empty for no limit.")
    )
    waiting_list = models.BooleanField(
        _("waiting list"), default=True, help_text=_("When the event is full, people may join a waiting list.")
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed seat"),
        default=0,
        help_text=_(
            "0: the first person on the waiting list gets a freed seat at once. Otherwise they are offered it "
            "and must accept within this many hours, or it goes to the next person."
        ),
    )
    requires_approval = models.BooleanField(
        _("the Board approves each registration"), default=False
    )
    public_participants = models.BooleanField(
        _("public list of participants"),
        default=False,
        help_text=_("Attendees may agree to have their name and organisation listed on the event page."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before)"), default=2, help_text=_("0: no reminder.")
    )
    meeting_url = models.URLField(
        _("meeting link for attendees"),
        blank=True,
        help_text=_("Sent only to confirmed attendees (in their confirmation and on their registration page)."),
    )
    questions = StreamField(QuestionsBlock(), blank=True, verbose_name=_("questions"))
    confirmation_text = models.TextField(
        _("confirmation text"), blank=True, help_text=_("Shown and mailed to people whose registration is confirmed.")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("opens_at"), FieldPanel("capacity"), FieldPanel("waiting_list"), FieldPanel("offer_hours")],
            heading=_("Seats"),
        ),
        FieldPanel("requires_approval"),
        FieldPanel("public_participants"),
        FieldPanel("reminder_days"),
        FieldPanel("meeting_url"),
        FieldPanel("questions"),
        FieldPanel("confirmation_text"),
    ]
    translatable_fields = [
        SynchronizedField("opens_at"),
        SynchronizedField("capacity"),
        SynchronizedField("waiting_list"),
        SynchronizedField("offer_hours"),
        SynchronizedField("requires_approval"),
        SynchronizedField("public_participants"),
        SynchronizedField("reminder_days"),
        SynchronizedField("meeting_url"),
        TranslatableField("questions"),
        TranslatableField("confirmation_text"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")

    def __str__(self):
        return str(_("Registration settings"))


def registration_of(page):
    """``(event, settings, text settings)`` of an event page that takes registrations here, else None.

    One query, whatever the language: ``event`` is the page in the default language that the
    registrations belong to (so every language fills the same seats) and ``settings`` its
    registration settings; ``text settings`` are the visited page's own copy (its translated
    questions and confirmation text), or the event's when the translation has none.
    """
    rows = list(
        RegistrationSettings.objects.filter(page__translation_key=page.translation_key)
        .select_related("page", "page__locale")
        .order_by("pk")
    )
    if not rows:
        return None
    source = next(
        (row for row in rows if row.page.locale.language_code == settings.LANGUAGE_CODE and not row.page.alias_of_id),
        rows[0],
    )
    own = next((row for row in rows if row.page_id == page.pk), source)
    return source.page, source, own


def event_of(page):
    """The event registrations of ``page`` belong to (its version in the default language), or ``page``."""
    found = registration_of(page)
    return found[0] if found else page


def settings_of(event):
    """The registration settings of ``event`` (the default-language page), or None."""
    return RegistrationSettings.objects.filter(page=event).order_by("pk").first()


class RegistrationQuerySet(models.QuerySet):
    """Query helpers for registrations."""

    def active(self):
        return self.filter(status__in=ACTIVE)

    def holding(self):
        return self.filter(status__in=HOLDING)

    def waiting_in_order(self):
        """The waiting list, first come first served."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")

    def for_address(self, email):
        return self.filter(email__iexact=email.strip())

    def counts(self):
        """``{status: number}`` of these registrations (one query)."""
        rows = self.values("status").annotate(number=Count("pk")).order_by()
        counts = dict.fromkeys(RegistrationStatus.values, 0)
        counts.update({row["status"]: row["number"] for row in rows})
        return counts


class Registration(models.Model):
    """One person's registration for one event. Personal data: see the retention rules (``jobs``)."""

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=12, default=settings.LANGUAGE_CODE)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    access_needs = models.JSONField(_("accessibility needs"), default=list, blank=True)
    access_notes = models.TextField(_("accessibility notes"), blank=True)
    consent_text = models.TextField(_("consent given"), blank=True)
    consent_version = models.CharField(_("consent version"), max_length=32, blank=True)
    list_publicly = models.BooleanField(_("listed publicly"), default=False)
    # The secret half of the manage link: a new key makes every earlier link invalid.
    key = models.CharField(max_length=64, default=secrets.token_urlsafe, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        permissions = [("manage_registrations", _("Can manage the registrations of every event"))]
        constraints = [
            models.UniqueConstraint(
                "event",
                models.functions.Lower("email"),
                condition=Q(status__in=ACTIVE, anonymised_at__isnull=True),
                name="one_active_registration_per_address",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_event_status")]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def holds_seat(self):
        return self.status in HOLDING

    @property
    def is_active(self):
        return self.status in ACTIVE

    @property
    def event_cancelled(self):
        return self.event.status == EventStatus.CANCELLED
