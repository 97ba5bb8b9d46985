"""Admin views of the hub package."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from hub import translation_status


class TranslationStatusView(WagtailAdminTemplateMixin, TemplateView):
    """Per locale: which pages and snippets are translated, out of date, or missing."""

    template_name = "hub/admin/translation_status.html"
    page_title = _("Translation status")
    header_icon = "wagtail-localize-language"
    _show_breadcrumbs = True

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("wagtail_localize.submit_translation"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locales = list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code"))
        selected = self.request.GET.get("locale", "")
        if selected in {locale.language_code for locale in locales}:
            locales = [locale for locale in locales if locale.language_code == selected]
        pages = translation_status.page_rows(locales)
        snippets = translation_status.snippet_rows(locales)
        context.update(
            locales=locales,
            all_locales=Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code"),
            selected=selected,
            page_rows=pages,
            snippet_rows=snippets,
            summary=translation_status.summary([*pages, *snippets], locales),
        )
        return context
