"""Admin integration of the hub package."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.log_actions import LogFormatter

from hub import dashboard, files, two_factor
from hub.admin_views import TranslationStatusView
from hub.history import IMPORTED_REVISION


@hooks.register("register_admin_urls")
def register_hub_admin_urls():
    return [
        path("translation-status/", TranslationStatusView.as_view(), name="hub_translation_status"),
        path("2fa/setup/", two_factor.SetupView.as_view(), name="hub_2fa_setup"),
        path("2fa/verify/", two_factor.VerifyView.as_view(), name="hub_2fa_verify"),
        path("2fa/recover/", two_factor.RecoverView.as_view(), name="hub_2fa_recover"),
        path("2fa/recovery-codes/", two_factor.RecoveryCodesView.as_view(), name="hub_2fa_recovery_codes"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    """The two-factor page (recovery codes, a new phone) on the account page."""
    return {
        "url": reverse("hub_2fa_recovery_codes"),
        "label": _("Two-factor sign-in"),
        "help_text": _("Make new recovery codes, or pair a new phone with the hub."),
    }


# The editor's drafts and the translation status on the dashboard (hub.dashboard).
hooks.register("construct_homepage_panels", dashboard.editor_panels)


# Unreviewed uploads stay private: a document no live public page uses answers 404 (hub.files).
hooks.register("before_serve_document", files.check_document_access)


class UsableDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents: only those the user may work with (Wagtail's lists every one)."""

    def get_queryset(self):
        return files.usable_by(super().get_queryset(), self.request.user)


class UsableImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images: only those the user may work with (Wagtail's lists every one)."""

    def get_queryset(self):
        return files.usable_by(super().get_queryset(), self.request.user)


@hooks.register("construct_admin_api", order=100)  # after wagtail.images and wagtail.documents register theirs
def restrict_admin_api_files(router):
    router.register_endpoint("documents", UsableDocumentsAdminAPIViewSet)
    router.register_endpoint("images", UsableImagesAdminAPIViewSet)


class TranslatorsMenuItem(MenuItem):
    """Shown to anyone who may submit translations (translators, editors, admins)."""

    def is_shown(self, request):
        return request.user.has_perm("wagtail_localize.submit_translation")


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return TranslatorsMenuItem(
        _("Translation status"), reverse("hub_translation_status"), icon_name="wagtail-localize-language", order=700
    )


@hooks.register("register_log_actions")
def register_history_actions(actions):
    """A revision brought over from another page's history (see ``hub.history``)."""

    @actions.register_action(IMPORTED_REVISION)
    class ImportedRevision(LogFormatter):
        label = _("Earlier version")

        def format_message(self, log_entry):
            source = log_entry.data.get("source", "")
            if source:
                return _("Version from %(source)s") % {"source": source}
            return _("Earlier version")
