"""Topic digests by email: subscribers and their consent, the digests built, who received them, and
the subscription page (``/{lang}/subscribe/``) with its double opt-in, preferences and archive.

Nothing about an address is stored until its owner uses the confirmation link (the link carries
the request, see ``digests.tokens``). Unsubscribing deletes the subscriber; the consent record
keeps only a hash of the address, the consent text version and the dates.
"""

import hashlib
import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from hub import ratelimit
from hub.models import SectionPage

from .choices import DeliveryStatus, Frequency
from .forms import CONSENT_TEXT, CONSENT_VERSION, PreferencesForm, SubscribeForm
from .mail import preferences_url, send_confirmation, unsubscribe_url
from .tokens import PREFERENCES_SALT, Expired, Invalid, confirmation_token, read_confirmation, read_key

ARCHIVE_PER_PAGE = 24


def address_hash(email):
    """SHA-256 of the normalised address: proof of whose consent it was, without the address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


# --- Subscribers --------------------------------------------------------------------------


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_email(self, email):
        return self.filter(email=email.strip().lower())


class Subscriber(models.Model):
    """A confirmed address, its language, topics and frequency. Deleted when it unsubscribes."""

    email = models.EmailField(_("email"), unique=True)
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    topics = models.ManyToManyField("hub.Topic", related_name="subscribers", verbose_name=_("topics"))
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Off after a hard bounce; a new confirmation turns it on.")
    )
    stopped_reason = models.CharField(_("stopped because"), max_length=40, blank=True)
    # Random, never shown: the signed preference and unsubscribe links carry it.
    key = models.CharField(max_length=64, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        permissions = [("export_subscriber", _("Can export and erase subscribers"))]

    def __str__(self):
        return self.email

    @classmethod
    @transaction.atomic
    def confirm(cls, request):
        """Store the request a confirmation link carried (a new subscriber, or new preferences) with its consent."""
        email = request["e"].strip().lower()
        now = timezone.now()
        subscriber = cls.objects.filter(email=email).first() or cls(email=email, key=secrets.token_urlsafe(32))
        subscriber.language = request["l"] if request["l"] in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        subscriber.frequency = request["f"] if request["f"] in Frequency.values else Frequency.WEEKLY
        subscriber.active = True
        subscriber.stopped_reason = ""
        subscriber.confirmed_at = now
        subscriber.save()
        subscriber.topics.set(request["t"])
        with translation.override(subscriber.language):
            text = str(CONSENT_TEXT)
        ConsentRecord.objects.create(
            subscriber=subscriber,
            address_hash=address_hash(email),
            text_version=request.get("v", CONSENT_VERSION),
            text=text,
            language=subscriber.language,
            requested_at=datetime.fromtimestamp(request.get("at", now.timestamp()), tz=UTC),
            confirmed_at=now,
        )
        return subscriber

    @transaction.atomic
    def unsubscribe(self, reason="unsubscribed"):
        """Forget the subscriber; their consent records say when consent was withdrawn."""
        ConsentRecord.objects.filter(subscriber=self, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_because=reason
        )
        self.delete()


class ConsentRecord(models.Model):
    """Proof of consent: when it was asked for and confirmed, which text, and a hash of the address."""

    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents", editable=False
    )
    address_hash = models.CharField(_("address hash (SHA-256)"), max_length=64, db_index=True)
    text_version = models.CharField(_("consent text version"), max_length=20)
    text = models.TextField(_("consent text"))
    language = models.CharField(_("language"), max_length=12)
    requested_at = models.DateTimeField(_("requested"))
    confirmed_at = models.DateTimeField(_("confirmed"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_because = models.CharField(_("withdrawn because"), max_length=40, blank=True)

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.address_hash[:12]}… {self.text_version}"


# --- Digests --------------------------------------------------------------------------------


class Digest(models.Model):
    """One language's digest for one period: the public items found, kept for the archive.

    ``sections`` is a list of ``{"key", "heading", "items": [{"page_id", "title", "url", "summary",
    "detail", "topic_ids"}]}``; each subscriber receives the items on their topics.
    """

    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    sections = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "frequency"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["language", "frequency", "period_start"], name="one_digest_per_period")
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} {self.language} {self.period_start:%Y-%m-%d}"

    @property
    def item_count(self):
        return sum(len(section["items"]) for section in self.sections)

    def sections_for(self, topic_ids):
        """The sections with only the items on ``topic_ids`` (empty sections dropped)."""
        wanted = set(topic_ids)
        chosen = []
        for section in self.sections:
            items = [item for item in section["items"] if wanted & set(item["topic_ids"])]
            if items:
                chosen.append({**section, "items": items})
        return chosen

    def public_sections(self):
        """The sections as the archive shows them: items whose page is still live and public."""
        ids = [item["page_id"] for section in self.sections for item in section["items"]]
        public = set(Page.objects.live().public().filter(pk__in=ids).values_list("pk", flat=True))
        sections = []
        for section in self.sections:
            items = [item for item in section["items"] if item["page_id"] in public]
            if items:
                sections.append({**section, "items": items})
        return sections


class Delivery(models.Model):
    """One subscriber's copy of one digest: made once, so running the job again never sends twice."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["digest", "subscriber"], name="one_delivery_per_subscriber")]

    def __str__(self):
        return f"{self.digest} → {self.subscriber_id}"


# --- The page ---------------------------------------------------------------------------------


def _private(response):
    """Pages reached through a personal link: never stored by any cache."""
    add_never_cache_headers(response)
    return response


class SubscribePage(RoutablePageMixin, SectionPage):
    """``/{lang}/subscribe/``: subscribe to topic digests (double opt-in), change preferences from a
    signed link, and read past digests (``archive/``). Unsubscribing is ``digests.views``."""

    subpage_types = []

    class Meta:
        verbose_name = _("subscription page")

    def _render(self, request, template, status=200, **context):
        full = self.get_context(request)
        full.update(context)
        return TemplateResponse(request, f"digests/{template}", full, status=status)

    @path("")
    def subscribe(self, request):
        """The form; a valid submission mails the confirmation link and says so."""
        initial = {"language": self.locale.language_code}
        slugs = [slug for slug in request.GET.get("topics", request.GET.get("tag", ""))[:500].split(",") if slug]
        if slugs:
            initial["topics"] = list(SubscribeForm.base_fields["topics"].queryset.filter(slug__in=slugs))
        if request.method == "POST":
            form = SubscribeForm(request.POST)
            if form.is_honeypot_hit():
                return self._render(request, "subscribe_sent.html")
            if form.is_valid():
                data = form.cleaned_data
                address = ratelimit.client_address(request)
                if not (ratelimit.hit("subscription", address) and ratelimit.hit("subscription", data["email"])):
                    return ratelimit.too_many_requests(request, ratelimit.limit_for("subscription")[1])
                token = confirmation_token(
                    data["email"],
                    data["language"],
                    [topic.pk for topic in data["topics"]],
                    data["frequency"],
                    CONSENT_VERSION,
                )
                send_confirmation(data["email"], data["language"], token)
                # The same answer whatever the address: it says nothing about who subscribes.
                return self._render(request, "subscribe_sent.html")
        else:
            form = SubscribeForm(initial=initial)
        return self._render(request, "subscribe_page.html", form=form)

    @path("confirm/<str:token>/", name="confirm")
    def confirm(self, request, token):
        """The link from the confirmation mail: subscribe. An expired link offers a new one."""
        if request.method == "POST":
            return self._resend(request, token)
        try:
            subscription = read_confirmation(token)
        except Expired:
            return _private(self._render(request, "confirm_expired.html", status=410, token=token))
        except Invalid:
            return _private(self._render(request, "link_invalid.html", status=400))
        subscriber = Subscriber.confirm(subscription)
        return _private(
            self._render(
                request,
                "confirmed.html",
                subscriber=subscriber,
                preferences_url=urlsplit(preferences_url(subscriber)).path,
            )
        )

    def _resend(self, request, token):
        """POST from the expired-link page: mail a fresh link for the same request."""
        try:
            subscription = read_confirmation(token, allow_expired=True)
        except (Expired, Invalid):
            return _private(self._render(request, "link_invalid.html", status=400))
        if not ratelimit.hit("subscription", subscription["e"]):
            return ratelimit.too_many_requests(request, ratelimit.limit_for("subscription")[1])
        fresh = confirmation_token(
            subscription["e"], subscription["l"], subscription["t"], subscription["f"], CONSENT_VERSION
        )
        send_confirmation(subscription["e"], subscription["l"], fresh)
        return _private(self._render(request, "subscribe_sent.html"))

    @path("preferences/<str:token>/", name="preferences")
    def preferences(self, request, token):
        """Change topics, language or frequency from the signed link in every digest, without an account."""
        key = read_key(token, PREFERENCES_SALT)
        subscriber = Subscriber.objects.filter(key=key).first() if key else None
        if subscriber is None:
            return _private(self._render(request, "link_invalid.html", status=404))
        saved = False
        if request.method == "POST":
            form = PreferencesForm(request.POST)
            if form.is_valid():
                subscriber.language = form.cleaned_data["language"]
                subscriber.frequency = form.cleaned_data["frequency"]
                subscriber.save(update_fields=["language", "frequency", "updated_at"])
                subscriber.topics.set(form.cleaned_data["topics"])
                saved = True
        else:
            form = PreferencesForm(
                initial={
                    "language": subscriber.language,
                    "frequency": subscriber.frequency,
                    "topics": list(subscriber.topics.all()),
                }
            )
        return _private(
            self._render(
                request,
                "preferences.html",
                form=form,
                saved=saved,
                subscriber=subscriber,
                unsubscribe_url=urlsplit(unsubscribe_url(subscriber)).path,
            )
        )

    @path("archive/", name="archive")
    def archive(self, request):
        """Past digests of this language, newest first."""
        digests = Digest.objects.filter(language=self.locale.language_code, deliveries__status=DeliveryStatus.SENT)
        digests = digests.distinct().order_by("-period_end", "frequency")[:ARCHIVE_PER_PAGE]
        return self._render(request, "archive.html", digests=digests)

    @path("archive/<int:pk>/", name="archive_digest")
    def archive_digest(self, request, pk):
        digest = Digest.objects.filter(
            pk=pk, language=self.locale.language_code, deliveries__status=DeliveryStatus.SENT
        ).first()
        if digest is None:
            return self._render(request, "link_invalid.html", status=404)
        return self._render(request, "archive_digest.html", digest=digest, sections=digest.public_sections())
