"""Admin screens for organisers: events with their counts, one event's registrations (filters,
status changes, check-in at the door), CSV export, and a message to every attendee.

They live at ``/admin/registrations/`` but outside the Wagtail admin's URL wrapper (through
``hub.extensions.register_root_urls``), so that someone who may not see them gets a 403 (signed
out, or no admin access) or a 404 (an event that is not theirs), never a page that hints at data.
"""

import csv
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import mail, seats
from .choices import ACTIVE, HOLDING, AccessNeed, RegistrationStatus
from .forms import MessageForm
from .models import Registration, settings_of
from .permissions import can_manage, manageable_events

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def organiser_required(view):
    """Signed in with admin access, and allowed to manage the event in the URL; else 403.

    (A 404 would do for the event, but Django's LocaleMiddleware turns a 404 outside the language
    prefix into a redirect to ``/en/...``; a 403 is as clear and says nothing about the event.)
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")):
            raise PermissionDenied
        if "event_id" in kwargs:
            event = manageable_events(user).filter(pk=kwargs.pop("event_id")).first()
            if event is None or not can_manage(user, event):
                raise PermissionDenied
            kwargs["event"] = event
        return view(request, *args, **kwargs)

    return wrapped


def with_counts(events):
    """Annotate ``events`` with the number of registrations in each state (one query)."""
    return events.annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        pending_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PENDING)),
        waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        offered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.OFFERED)),
        checked_in_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )


class EventListView(WagtailAdminTemplateMixin, TemplateView):
    """Every event whose registrations the user may see, soonest first, with its counts."""

    template_name = "registrations/admin/events.html"
    page_title = gettext_lazy("Registrations")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = with_counts(manageable_events(self.request.user)).order_by("-start")
        now = timezone.now()
        context["upcoming"] = [event for event in events if event.end >= now][::-1]
        context["past"] = [event for event in events if event.end < now]
        return context


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    """One event's registrations: counts, the list with filters, and the actions on each."""

    template_name = "registrations/admin/report.html"
    header_icon = "group"
    FILTERS = {
        "active": Q(status__in=ACTIVE),
        "seated": Q(status__in=HOLDING),
        "checked-in": Q(checked_in_at__isnull=False),
        "not-checked-in": Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=True),
        "access": ~Q(access_needs=[]) | ~Q(access_notes=""),
    }

    def dispatch(self, request, event):
        self.event = event
        return super().dispatch(request)

    def get_page_title(self):
        return _("Registrations: %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registrations = Registration.objects.filter(event=self.event)
        counts = registrations.counts()
        chosen = self.request.GET.get("show", "active")
        if chosen in RegistrationStatus.values:
            registrations = registrations.filter(status=chosen)
        elif chosen in self.FILTERS:
            registrations = registrations.filter(self.FILTERS[chosen])
        else:
            chosen = "all"
        query = self.request.GET.get("q", "").strip()[:100]
        if query:
            registrations = registrations.filter(
                Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation__icontains=query)
            )
        reg_settings = settings_of(self.event)
        context.update(
            {
                "event": self.event,
                "settings": reg_settings,
                "counts": counts,
                "checked_in": Registration.objects.filter(event=self.event, checked_in_at__isnull=False).count(),
                "registrations": registrations.order_by("status", "created_at", "pk"),
                "show": chosen,
                "q": query,
                "filters": [
                    ("active", _("Active")),
                    ("seated", _("Holding a place")),
                    *RegistrationStatus.choices,
                    ("checked-in", _("Checked in")),
                    ("not-checked-in", _("Confirmed, not checked in")),
                    ("access", _("With accessibility needs")),
                    ("all", _("All")),
                ],
                "access_labels": dict(AccessNeed.choices),
                "capacity": reg_settings.capacity if reg_settings else None,
                "seated": sum(counts[status] for status in HOLDING),
            }
        )
        return context


ACTIONS = {
    "approve": seats.approve,
    "refuse": seats.refuse,
    "cancel": seats.cancel,
    "waiting": seats.move_to_waiting_list,
}


@require_POST
def registration_action(request, event, pk, action):
    """Change one registration's status, or toggle its check-in; back to the report (same filters)."""
    registration = Registration.objects.filter(pk=pk, event=event).first()
    if registration is None:
        raise PermissionDenied
    if action == "check-in":
        arrived = seats.toggle_check_in(registration)
        messages.success(
            request,
            (_("%(name)s checked in.") if arrived else _("%(name)s no longer checked in.")) % {"name": registration.name},
        )
    elif action in ACTIONS:
        if ACTIONS[action](registration):
            messages.success(
                request,
                _("%(name)s: %(status)s.") % {"name": registration.name, "status": registration.get_status_display()},
            )
        else:
            messages.warning(request, _("Nothing changed."))
    else:
        raise PermissionDenied
    report = reverse("registrations_report", args=[event.pk])
    back = request.POST.get("next", "")
    if not (back.startswith(report) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = report
    return redirect(f"{back}#registration-{registration.pk}" if action == "check-in" else back)


def safe_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula (OWASP: prefix with a quote)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def export_csv(request, event):
    """Every registration of the event as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{event.slug}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    access_labels = dict(AccessNeed.choices)
    questions = []
    rows = list(Registration.objects.filter(event=event).order_by("created_at", "pk"))
    for registration in rows:
        for answer in registration.answers:
            if answer.get("question") not in questions:
                questions.append(answer.get("question"))
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Organisation"),
            _("Status"),
            _("Registered"),
            _("Checked in"),
            _("Language"),
            _("Accessibility needs"),
            _("Accessibility notes"),
            _("Listed publicly"),
            *questions,
        ]
    )
    for registration in rows:
        answers = {answer.get("question"): answer.get("answer") for answer in registration.answers}
        writer.writerow(
            [
                safe_cell(cell)
                for cell in [
                    registration.name,
                    registration.email,
                    registration.organisation,
                    registration.get_status_display(),
                    registration.created_at.isoformat(timespec="minutes"),
                    registration.checked_in_at.isoformat(timespec="minutes") if registration.checked_in_at else "",
                    registration.language,
                    "; ".join(str(access_labels.get(code, code)) for code in registration.access_needs),
                    registration.access_notes,
                    _("yes") if registration.list_publicly else "",
                    *[answers.get(question, "") for question in questions],
                ]
            ]
        )
    return response


class MessageView(WagtailAdminTemplateMixin, FormView):
    """Write to the event's attendees: one mail each, in the queue."""

    template_name = "registrations/admin/message.html"
    form_class = MessageForm
    header_icon = "mail"

    def dispatch(self, request, event):
        self.event = event
        return super().dispatch(request)

    def get_page_title(self):
        return _("Message the attendees of %(title)s") % {"title": self.event.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        context["report_url"] = reverse("registrations_report", args=[self.event.pk])
        return context

    def form_valid(self, form):
        recipients = Registration.objects.filter(event=self.event, anonymised_at__isnull=True)
        chosen = form.cleaned_data["recipients"]
        if chosen == "confirmed":
            recipients = recipients.filter(status=RegistrationStatus.CONFIRMED)
        elif chosen == "waiting":
            recipients = recipients.filter(status=RegistrationStatus.WAITING)
        else:
            recipients = recipients.filter(status__in=ACTIVE)
        count = 0
        for registration in recipients:
            mail.notify(
                registration, mail.MESSAGE, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
            )
            count += 1
        messages.success(self.request, _("%(count)s messages are on their way.") % {"count": count})
        return redirect("registrations_report", self.event.pk)
