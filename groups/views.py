"""What the working group pages do beyond rendering: the join request, the secret calendar, and the
members' own calendar address. Functions of the page they serve (imported by ``groups.models``)."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hub import ratelimit

from .calendar import calendar_response, calendar_window
from .membership import JoinError, is_partner_member, pending_request, request_to_join


class JoinRequestForm(forms.Form):
    """An optional note to the chairs."""

    message = forms.CharField(
        label=gettext_lazy("A note to the chairs (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def sign_in_url(request):
    login = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", "/admin/login/")
    return f"{login}?{urlencode({'next': request.get_full_path()})}"


def join_state(page, request):
    """What the visitor sees under "How to join": a form, a pending request, a link to the members' area…"""
    user = request.user
    group = page.working_group
    if group is None:
        return {"state": "closed"}
    if not user.is_authenticated:
        return {"state": "signed-out", "sign_in_url": sign_in_url(request)}
    if group.can_view(user):
        area = page.members_area()
        return {"state": "member", "area": area}
    if pending_request(group, user):
        return {"state": "pending"}
    if is_partner_member(user):
        return {"state": "can-ask", "form": JoinRequestForm()}
    return {"state": "partners-only"}


def personal(response, request):
    """A page that differs by visitor is private to signed-in ones (signed-out visitors all see the same)."""
    patch_vary_headers(response, ("Cookie",))
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    return response


def serve_summary(page, request):
    # render() builds the page's context itself: only the visitor's way to join is added here.
    response = page.render(request, context_overrides={"join": join_state(page, request)})
    return personal(response, request)


def handle_join(page, request):
    """POST: send the signed-in partner member's request to the chairs, then back to the page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return HttpResponseRedirect(sign_in_url(request))
    if not ratelimit.hit("group-join", str(request.user.pk)):
        return ratelimit.too_many_requests(request, ratelimit.limit_for("group-join")[1])
    form = JoinRequestForm(request.POST)
    if not form.is_valid() or page.working_group is None:
        messages.error(request, _("The note is too long (2,000 characters at most)."))
        return HttpResponseRedirect(page.url)
    try:
        request_to_join(page.working_group, request.user, form.cleaned_data["message"], page=page)
    except JoinError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request was sent. A chair will answer it."))
    return HttpResponseRedirect(page.url)


def serve_meetings_calendar(page, request, token):
    """The group's meetings in this page's language, for the member whose secret address this is."""
    group = page.working_group
    feed = group.calendar_feeds.select_related("user").filter(token=token).first() if group is not None else None
    if feed is None or not feed.is_valid():
        raise Http404
    area = page.members_area()
    meetings = list(area.meetings().filter(date__gte=calendar_window())) if area is not None else []
    return calendar_response(page.title, meetings, request)


def renew_calendar(area, request):
    """POST from the members' area: a new secret calendar address (the old one stops working)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    feed = area.calendar_feed_for(request.user)
    if feed is not None:
        feed.renew()
        messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return HttpResponseRedirect(area.url)
