"""Public views: the registration form below an event, its live seats status, and the signed
manage page. Nothing here is cached for everyone except the seats status, for a few seconds."""

from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.cache import never_cache

from events.models import EventPage
from hub.ratelimit import client_address, hit, limit_for, too_many_requests

from . import seats
from .choices import RegistrationStatus
from .forms import ChangeForm, RegistrationForm, retention_text
from .links import LinkExpired, LinkInvalid, read_token
from .models import Registration, registration_of, settings_of


def registration_context(page):
    """``(event, settings, text settings)`` of an event page taking registrations here (see
    ``registration_of``); Http404 when it takes none, or sends people to its own registration link."""
    found = registration_of(page) if isinstance(page, EventPage) and not page.registration_url else None
    if found is None:
        raise Http404
    return found


def _render(page, request, template, context, status=200):
    full = page.get_context(request)
    full.update(context)
    response = TemplateResponse(request, template, full, status=status)
    add_never_cache_headers(response)
    return response


def register(page, request):
    """``<event>/register/``: the form (GET) and a registration (POST), in the page's language."""
    event, reg_settings, text_settings = registration_context(page)
    state = seats.availability(event, reg_settings)
    kwargs = {"questions": text_settings.questions, "public_list": reg_settings.public_participants}
    context = {"availability": state, "event": event, "retention": retention_text()}
    if request.method == "POST":
        if not hit("registration", client_address(request)):
            return too_many_requests(request, limit_for("registration")[1])
        form = RegistrationForm(request.POST, **kwargs)
        # The join form's traps (hub.forms.SpamTrapForm), answered the same way.
        if form.is_honeypot_hit():
            # A robot filled the trap: a neutral answer, nothing stored, nothing sent.
            return _render(page, request, "registrations/register_result.html", {**context, "result": "received"})
        if form.needs_confirmation():
            # Too fast, or the form's timestamp is missing: shown again to check and send again.
            form = form.restarted(**kwargs)
            form.is_valid()
            context.update({"form": form, "started": form["started"], "confirm": True})
            return _render(page, request, "registrations/register.html", context, status=400)
        if form.is_valid():
            result, registration = seats.register(event, form.registration_fields(translation.get_language()))
            if result == seats.Result.ALREADY and registration is not None:
                # Say so on screen; the link goes only to the address itself.
                seats.mail.notify(registration, seats.mail.ALREADY)
            context.update({"result": result, "registration": registration})
            if registration is not None and result == seats.Result.CREATED:
                context["confirmation_text"] = text_settings.confirmation_text
            return _render(page, request, "registrations/register_result.html", context)
        context.update({"form": form, "started": form["started"]})
        return _render(page, request, "registrations/register.html", context, status=400)
    form = RegistrationForm(**kwargs)
    context.update({"form": form, "started": form["started"]})
    return _render(page, request, "registrations/register.html", context)


def public_status(event, reg_settings):
    """The event's registration state and consented participants, cached for a few seconds."""
    key = seats.status_cache_key(event)
    data = cache.get(key)
    if data is None:
        state = seats.availability(event, reg_settings)
        participants = []
        if reg_settings.public_participants:
            participants = list(
                Registration.objects.filter(
                    event=event, status=RegistrationStatus.CONFIRMED, list_publicly=True, anonymised_at__isnull=True
                )
                .order_by("name")
                .values_list("name", "organisation")
            )
        data = {"state": state.state, "seats_left": state.seats_left, "capacity": state.capacity, "participants": participants}
        cache.set(key, data, seats.STATUS_CACHE_SECONDS)
    return data


def status(page, request):
    """``<event>/register/status/``: the seats left as a small HTML fragment (fetched by the event page)."""
    event, reg_settings, _text = registration_context(page)
    html = render_to_string(
        "registrations/status.html", {"status": public_status(event, reg_settings), "page": page}, request=request
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # Never in the shared page cache: correct within a few seconds, however the page is cached.
    patch_cache_control(response, private=True, max_age=seats.STATUS_CACHE_SECONDS)
    return response


def section(page, request):
    """The "Registration" section of an event page (``hub.extensions``); '' when the event takes none here."""
    if page.registration_url or not page.pk:
        return ""
    try:
        event, reg_settings, _text = registration_context(page)
    except Http404:
        return ""
    # The page itself may be cached for minutes: the status in it is refreshed from the fragment.
    return render_to_string(
        "registrations/section.html",
        {"page": page, "status": public_status(event, reg_settings), "register_url": page.url + "register/"},
        request=request,
    )


def _registration_for(token):
    pk, key = read_token(token)
    registration = Registration.objects.select_related("event", "event__locale").filter(pk=pk).first()
    if registration is None or registration.key != key or registration.anonymised_at:
        raise LinkInvalid
    return registration


@never_cache
def manage(request, token):
    """``/{lang}/registrations/<token>/``: see, change or cancel a registration without an account."""
    try:
        registration = _registration_for(token)
    except LinkExpired:
        return TemplateResponse(request, "registrations/link_invalid.html", {"expired": True}, status=410)
    except LinkInvalid:
        return TemplateResponse(request, "registrations/link_invalid.html", {"expired": False}, status=404)
    event = registration.event
    reg_settings = settings_of(event)
    ended = event.end < timezone.now()
    public_list = bool(reg_settings and reg_settings.public_participants)
    change_form = None
    if request.method == "POST" and not ended:
        action = request.POST.get("action", "")
        if action == "cancel":
            seats.cancel(registration)
            return HttpResponseRedirect(request.path + "?done=cancelled")
        if action == "accept":
            accepted = seats.accept_offer(registration)
            return HttpResponseRedirect(request.path + ("?done=accepted" if accepted else "?done=too-late"))
        if action == "change" and registration.is_active:
            change_form = ChangeForm(request.POST, public_list=public_list)
            if change_form.is_valid():
                for name, value in change_form.cleaned_data.items():
                    setattr(registration, name, value)
                registration.save()
                seats.forget_status(event)
                return HttpResponseRedirect(request.path + "?done=changed")
    if change_form is None:
        change_form = ChangeForm(
            initial={name: getattr(registration, name) for name in ChangeForm.base_fields}, public_list=public_list
        )
    version = seats.mail.event_in(translation.get_language(), event)
    context = {
        "registration": registration,
        "event": version,
        "ended": ended,
        "done": request.GET.get("done", "")[:20],
        "form": change_form,
        "meeting_url": reg_settings.meeting_url
        if (reg_settings and registration.status == RegistrationStatus.CONFIRMED)
        else "",
        "when": seats.mail.event_when(version),
    }
    status_code = 400 if change_form.is_bound and change_form.errors else 200
    return TemplateResponse(request, "registrations/manage.html", context, status=status_code)
