"""The Board's view of the digests: subscriber counts per topic and language, export, erase-by-email."""

import csv

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.models import Topic

from .models import ConsentRecord, Subscriber, address_hash

VIEW = "digests.view_subscriber"
EXPORT = "digests.export_subscriber"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def erase(email):
    """Delete every trace of ``email``: the subscriber (its deliveries with it) and its consent records."""
    subscribers = list(Subscriber.objects.for_email(email))
    for subscriber in subscribers:
        subscriber.delete()
    records = ConsentRecord.objects.filter(address_hash=address_hash(email)).delete()[0]
    return len(subscribers), records


def counts():
    """``(languages, rows)``: per topic, active subscribers in each language, and the totals."""
    languages = [code for code, _name in settings.LANGUAGES]
    pairs = (
        Subscriber.objects.active().values("topics", "language").annotate(number=Count("pk", distinct=True)).order_by()
    )
    table = {}
    for pair in pairs:
        if pair["topics"] is not None:
            table.setdefault(pair["topics"], {})[pair["language"]] = pair["number"]
    rows = []
    for topic in Topic.objects.filter(pk__in=table).order_by("name"):
        numbers = [table[topic.pk].get(code, 0) for code in languages]
        rows.append({"topic": topic, "numbers": numbers, "total": sum(numbers)})
    totals = [Subscriber.objects.active().filter(language=code).count() for code in languages]
    return languages, rows, totals


def safe_cell(value):
    """A spreadsheet cannot take a cell for a formula (CSV injection)."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class EraseForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address to erase"))


class SubscribersView(WagtailAdminTemplateMixin, FormView):
    """Counts per topic and language, the export link and the erase form."""

    template_name = "digests/admin/subscribers.html"
    form_class = EraseForm
    page_title = gettext_lazy("Topic digest subscribers")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        languages, rows, totals = counts()
        context.update(
            {"languages": languages, "rows": rows, "totals": totals, "may_export": self.request.user.has_perm(EXPORT)}
        )
        return context

    def form_valid(self, form):
        if not self.request.user.has_perm(EXPORT):
            raise PermissionDenied
        subscribers, records = erase(form.cleaned_data["email"])
        messages.success(
            self.request,
            _("Erased: %(subscribers)s subscriber(s) and %(records)s consent record(s).")
            % {"subscribers": subscribers, "records": records},
        )
        return redirect("digests_subscribers")


def export(request):
    """Every subscriber as CSV: address, language, frequency, topics, confirmed, active."""
    if not request.user.has_perm(EXPORT):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="digest-subscribers.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(["email", "language", "frequency", "topics", "confirmed", "active"])
    for subscriber in Subscriber.objects.prefetch_related("topics").order_by("email"):
        writer.writerow(
            [
                safe_cell(subscriber.email),
                subscriber.language,
                subscriber.frequency,
                safe_cell(" ".join(topic.slug for topic in subscriber.topics.all())),
                subscriber.confirmed_at.isoformat(),
                "yes" if subscriber.active else "no",
            ]
        )
    return response
