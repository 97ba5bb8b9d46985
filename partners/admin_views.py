"""Admin screens: membership applications (accept / decline) and partner invitations."""

from django_tasks import TaskResultStatus

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from .applications import ApplicationError, accept_application, decline_application
from .choices import ApplicationStatus
from .invitations import invite_partner
from .models import MembershipApplication, PartnerPage

APPLICATIONS = "membership_applications"


class ApplicationIndexView(IndexView):
    """The applications list, with accept and decline buttons on new applications."""

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.status == ApplicationStatus.NEW and self.request.user.has_perm(
            "partners.change_membershipapplication"
        ):
            buttons.insert(
                0,
                ListingButton(
                    _("Accept"), reverse(f"{APPLICATIONS}:accept", args=[instance.pk]), icon_name="check", priority=5
                ),
            )
            buttons.insert(
                1,
                ListingButton(
                    _("Decline"), reverse(f"{APPLICATIONS}:decline", args=[instance.pk]), icon_name="cross", priority=6
                ),
            )
        return buttons


class DecisionForm(forms.Form):
    """A confirmation with nothing to fill in."""


class DecisionView(WagtailAdminTemplateMixin, FormView):
    """Confirm, then accept or decline one application."""

    template_name = "partners/admin/decision.html"
    form_class = DecisionForm
    header_icon = "form"
    decision = "accept"

    def dispatch(self, request, pk):
        if not request.user.has_perm("partners.change_membershipapplication"):
            raise PermissionDenied
        self.application = get_object_or_404(MembershipApplication, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        if self.decision == "accept":
            return _("Accept the application of %(organisation)s") % {"organisation": self.application.organisation}
        return _("Decline the application of %(organisation)s") % {"organisation": self.application.organisation}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "application": self.application,
                "decision": self.decision,
                "cancel_url": reverse(f"{APPLICATIONS}:index"),
            }
        )
        return context

    def form_valid(self, form):
        if self.application.status != ApplicationStatus.NEW:
            messages.error(self.request, _("This application has already been decided."))
            return redirect(f"{APPLICATIONS}:index")
        if self.decision == "accept":
            try:
                page = accept_application(self.application, user=self.request.user)
            except (ApplicationError, ValidationError) as error:
                messages.error(self.request, str(error))
                return redirect(f"{APPLICATIONS}:index")
            messages.success(
                self.request,
                _("Accepted: a draft profile, its group and collection were created and %(email)s was invited.")
                % {"email": self.application.email},
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
        decline_application(self.application)
        messages.success(self.request, _("Application declined."))
        return redirect(f"{APPLICATIONS}:index")


class ApplicationViewSet(ModelViewSet):
    """Membership applications in the admin, for the board."""

    model = MembershipApplication
    name = APPLICATIONS
    url_prefix = "partners/applications"
    icon = "form"
    menu_label = gettext_lazy("Applications")
    add_to_admin_menu = True
    menu_order = 250
    index_view_class = ApplicationIndexView
    list_display = ["organisation", "partner_type", "country", "contact_name", "status", Column("created_at")]
    list_filter = ["status", "partner_type"]
    search_fields = ["organisation", "contact_name", "email"]
    form_fields = ["organisation", "partner_type", "country", "website", "contact_name", "email", "role", "message"]
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("accept/<int:pk>/", DecisionView.as_view(decision="accept"), name="accept"),
            path("decline/<int:pk>/", DecisionView.as_view(decision="decline"), name="decline"),
        ]


class InviteForm(forms.Form):
    """Whom to invite, for which organisation."""

    partner = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=PartnerPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE, alias_of__isnull=True
        ).order_by("title"),
    )
    email = forms.EmailField(label=gettext_lazy("Email"))


class InviteView(WagtailAdminTemplateMixin, FormView):
    """The admin equivalent of ``manage.py invite_partner``."""

    template_name = "partners/admin/invite.html"
    form_class = InviteForm
    header_icon = "user"
    page_title = gettext_lazy("Invite a partner")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("partners.invite_partner"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("partner", "").isdigit():
            initial["partner"] = self.request.GET["partner"]
        return initial

    def form_valid(self, form):
        try:
            user = invite_partner(form.cleaned_data["partner"], form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        values = {"email": user.email, "organisation": form.cleaned_data["partner"].title}
        status = user.invitation.status
        if status == TaskResultStatus.SUCCESSFUL:
            messages.success(self.request, _("Invitation sent to %(email)s for %(organisation)s.") % values)
        elif status == TaskResultStatus.FAILED:
            messages.error(
                self.request,
                _("The account for %(email)s is ready, but the invitation could not be sent; invite again to resend it.")
                % values,
            )
        else:
            messages.success(
                self.request, _("Invitation to %(email)s for %(organisation)s queued; it is sent in the background.") % values
            )
        return redirect("partners_invite")
