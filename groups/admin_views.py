"""Admin screens: working groups (Board), members and join requests (chairs), proposing a draft."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from hub.registry import ProposalRefused, proposal_targets

from .choices import JoinRequestStatus
from .membership import add_member, decide, display_name, partner_members, remove_member
from .models import DraftPage, WorkingGroup, time_zone_choices
from .privacy import working_group_of_page
from .proposals import propose

WORKING_GROUPS = "working_groups"


class ChairPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (the Board), and for chairs: view and change their own groups."""

    CHAIR_ACTIONS = {"view", "change"}
    # Groups are made with their page (and its members' area), never on their own.
    NEVER = {"add", "delete"}

    def _chairs_any(self, user):
        return user.is_active and WorkingGroup.objects.filter(chairs=user).exists()

    def user_has_permission(self, user, action):
        if action in self.NEVER:
            return False
        if super().user_has_permission(user, action):
            return True
        return action in self.CHAIR_ACTIONS and self._chairs_any(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in self.NEVER:
            return False
        if super().user_has_permission(user, action):
            return True
        return action in self.CHAIR_ACTIONS and user.is_active and instance.chairs.filter(pk=user.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        if action in self.NEVER:
            return WorkingGroup.objects.none()
        if super().user_has_permission(user, action):
            return WorkingGroup.objects.all()
        if action in self.CHAIR_ACTIONS:
            return WorkingGroup.objects.filter(chairs=user)
        return WorkingGroup.objects.none()


class WorkingGroupForm(WagtailAdminModelForm):
    """Name and time zone; the chairs only for the Board (chairs manage members, not chairs)."""

    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=time_zone_choices, initial="UTC")

    class Meta:
        model = WorkingGroup
        fields = ["name", "time_zone", "chairs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        may_choose_chairs = self.for_user is not None and ModelPermissionPolicy(WorkingGroup).user_has_permission(
            self.for_user, "change"
        )
        if may_choose_chairs:
            self.fields["chairs"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
            self.fields["chairs"].required = False
        else:
            del self.fields["chairs"]


class WorkingGroupIndexView(IndexView):
    """The groups a user manages, each with a link to its members and join requests."""

    def get_base_queryset(self):
        return WorkingGroup.objects.managed_by(self.request.user)

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        pending = instance.join_requests.filter(status=JoinRequestStatus.PENDING).count()
        label = _("Members") if not pending else _("Members (%(count)s waiting)") % {"count": pending}
        buttons.insert(
            0,
            ListingButton(
                label, reverse(f"{WORKING_GROUPS}:members", args=[instance.pk]), icon_name="group", priority=5
            ),
        )
        return buttons


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Partner member"), queryset=get_user_model().objects.none())

    def __init__(self, *args, working_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = partner_members().exclude(groups=working_group.group)
        self.fields["user"].label_from_instance = display_name


class MembersView(WagtailAdminTemplateMixin, TemplateView):
    """One group's members (add, remove) and its join requests (approve, decline), for its chairs and the Board."""

    template_name = "groups/admin/members.html"
    header_icon = "group"

    def dispatch(self, request, pk):
        self.working_group = get_object_or_404(WorkingGroup, pk=pk)
        if not self.working_group.can_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Members of %(group)s") % {"group": self.working_group.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = self.working_group
        chairs = set(group.chairs.values_list("pk", flat=True))
        context.update(
            {
                "working_group": group,
                "members": [(user, user.pk in chairs) for user in group.members()],
                "requests": group.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("user"),
                "add_form": kwargs.get("add_form") or AddMemberForm(working_group=group),
                "index_url": reverse(f"{WORKING_GROUPS}:index"),
            }
        )
        return context

    def post(self, request, pk):
        group = self.working_group
        action = request.POST.get("action", "")
        if action == "add":
            form = AddMemberForm(request.POST, working_group=group)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(add_form=form))
            add_member(group, form.cleaned_data["user"])
            messages.success(
                request, _("%(name)s is now a member.") % {"name": display_name(form.cleaned_data["user"])}
            )
        elif action == "remove":
            user = get_object_or_404(group.group.user_set, pk=request.POST.get("user", "0") or 0)
            remove_member(group, user)
            messages.success(request, _("%(name)s is no longer a member.") % {"name": display_name(user)})
        elif action in {"approve", "decline"}:
            join_request = get_object_or_404(group.join_requests, pk=request.POST.get("request", "0") or 0)
            decide(join_request, approve=action == "approve", by=request.user)
            text = _("Request approved.") if action == "approve" else _("Request declined.")
            messages.success(request, text)
        return redirect(f"{WORKING_GROUPS}:members", pk)


class ProposeView(WagtailAdminTemplateMixin, TemplateView):
    """Propose a members' draft for publication through one of the registered targets."""

    template_name = "groups/admin/propose.html"
    header_icon = "upload"

    def dispatch(self, request, page_id):
        self.draft = get_object_or_404(DraftPage, pk=page_id)
        group = working_group_of_page(self.draft)
        if group is None or not group.can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Propose “%(title)s” for publication") % {"title": self.draft.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "draft": self.draft,
                "targets": proposal_targets(),
                "proposed": Page.objects.filter(pk=self.draft.proposed_page_id).first(),
                "cancel_url": reverse("wagtailadmin_pages:edit", args=[self.draft.pk]),
            }
        )
        return context

    def post(self, request, page_id):
        target = next((t for t in proposal_targets() if t.key == request.POST.get("target")), None)
        if target is None:
            messages.error(request, _("Choose where to propose the draft."))
            return redirect(f"{WORKING_GROUPS}:propose", page_id)
        try:
            page = propose(self.draft, target, request.user)
        except ProposalRefused as error:
            messages.error(request, str(error))
            return redirect(f"{WORKING_GROUPS}:propose", page_id)
        messages.success(
            request, _("Proposed: the Board reviews “%(title)s” before it is published.") % {"title": page.title}
        )
        return redirect("wagtailadmin_pages:edit", page_id)


class WorkingGroupViewSet(ModelViewSet):
    """Working groups in the admin: the Board creates and edits them; chairs manage their members."""

    model = WorkingGroup
    name = WORKING_GROUPS
    url_prefix = "working-groups"
    icon = "group"
    menu_label = gettext_lazy("Working groups")
    add_to_admin_menu = True
    menu_order = 270
    index_view_class = WorkingGroupIndexView
    list_display = ["name", "time_zone", "created_at"]
    search_fields = ["name"]
    form_fields = ["name", "time_zone", "chairs"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return WorkingGroupForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("members/<int:pk>/", MembersView.as_view(), name="members"),
            path("propose/<int:page_id>/", ProposeView.as_view(), name="propose"),
        ]
