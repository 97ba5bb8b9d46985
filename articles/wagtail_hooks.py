"""Admin integration of articles: a listing of every article with its kind, date, language and status."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column, LocaleColumn
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.viewsets.pages import PageListingViewSet

from .models import ArticlePage


class ArticleListingViewSet(PageListingViewSet):
    """"Articles" in the admin menu: every article in every language, newest first, filterable like
    Wagtail's page listings (language, status, owner...). Partners see only their own (the page
    permission policy, partners.isolation)."""

    model = ArticlePage
    name = "article_listing"
    icon = "doc-full"
    menu_label = _("Articles")
    menu_order = 120
    add_to_admin_menu = True
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label=_("Title"), sort_key="title", classname="title"),
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind", width="12%"),
        Column(
            "date",
            label=_("Publication date"),
            accessor=lambda page: date_format(page.date) if page.date else "",
            sort_key="date",
            width="14%",
        ),
        LocaleColumn(label=_("Language"), width="10%"),
        PageStatusColumn("status", label=_("Status"), sort_key="live", width="12%"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(default_ordering="-date", **kwargs)


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet()
