"""Partners see only their own organisation's work in the admin.

Wagtail lets anyone who may add pages below a section see every page in it: a partner allowed to
propose articles would see the titles, owners and status of every other partner's proposals in
the explorer, the search, the choosers, the admin API, the reports and their filters. Here a
*partner user* (in a partner group, not in the Board, not a superuser) sees only

- **their organisation's pages**: pages owned by anyone in their partner group(s), their
  organisation's profile, and the translations and aliases of both;
- **the way to them**: the sections they may add to or change and those pages' ancestors;
- what feature apps let them see besides (``hub.permissions.register_admin_page_scope``: their
  working groups' members' areas, for instance);
- in page choosers also **published pages without unpublished changes** (public already, so a
  partner can still link another organisation's live profile);
- in user filters only **their colleagues** (the users of their partner groups).

It is applied through Wagtail's own extension points:

- the page permission policy (``explorable_instances``, which the explorer, admin search, admin
  API, site history, dashboard panels and workflow reports read),
- the ``construct_explorer_page_queryset`` and ``construct_page_chooser_queryset`` hooks,
- the ``construct_reports_menu`` hook (reports partners may not open are not offered),

and where Wagtail has no hook, by ``PartnerIsolationMiddleware`` (an admin URL naming a page the
partner may not see answers 404; reports outside ``PARTNER_REPORTS`` answer 403) and by
narrowing the user choices of every admin filter set (``restrict_user_filters``).
Board members, translators and superusers are not affected, except by pages feature apps hide
from everyone who is not theirs (``hub.permissions.register_hidden_pages``), which the policy leaves
out for every user.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from hub.permissions import admin_page_scope, hidden_pages

from .permissions import BOARD_GROUP, PARTNER_GROUP_PREFIX

# Reports (in Wagtail's ``wagtailadmin_reports`` namespace) a partner may open; each lists only what
# the rules above let them see. Any other report, including one added later, answers 403.
PARTNER_REPORTS = {
    "site_history",
    "site_history_results",
    "workflow",
    "workflow_results",
    "workflow_tasks",
    "workflow_tasks_results",
    "locked_pages",
    "locked_pages_results",
    "aging_pages",
    "aging_pages_results",
}
# URL arguments that name a page in the admin's URL patterns.
PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "page_pk")
_SCOPE_ATTRIBUTE = "_hub_partner_scope"


class PartnerScope:
    """What one partner user may see (computed once per request, kept on the user object)."""

    def __init__(self, user, group_ids):
        self.group_ids = group_ids
        self.extra = admin_page_scope(user)
        self.colleague_ids = list(
            get_user_model().objects.filter(groups__in=group_ids).values_list("pk", flat=True).distinct()
        )
        grants = GroupPagePermission.objects.filter(group__in=group_ids).select_related("page", "permission")
        self.profile_ids = [grant.page_id for grant in grants if grant.permission.codename == "change_page"]
        granted_pages = {grant.page_id: grant.page for grant in grants}.values()
        steplen = Page.steplen
        self.structural_paths = {
            page.path[:end] for page in granted_pages for end in range(steplen, len(page.path) + 1, steplen)
        }

    def own_pages(self):
        """Q: the organisation's pages (owned by a colleague, or its profile) in every language."""
        own = Page.objects.filter(Q(owner_id__in=self.colleague_ids) | Q(pk__in=self.profile_ids))
        return Q(translation_key__in=own.values("translation_key"))

    def visible(self):
        """Q: what the explorer, search and admin API show this partner."""
        visible = self.own_pages() | Q(path__in=self.structural_paths)
        return visible | self.extra if self.extra is not None else visible

    def choosable(self):
        """Q: what page choosers offer this partner (also published pages with nothing unpublished)."""
        return self.visible() | Q(live=True, has_unpublished_changes=False)


def scope_for(user):
    """The ``PartnerScope`` of a partner user; None for everyone who sees the whole admin."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return None
    if not hasattr(user, _SCOPE_ATTRIBUTE):
        groups = list(user.groups.values_list("pk", "name"))
        partner_groups = [pk for pk, name in groups if name.startswith(PARTNER_GROUP_PREFIX)]
        board = any(name == BOARD_GROUP for _pk, name in groups)
        setattr(user, _SCOPE_ATTRIBUTE, PartnerScope(user, partner_groups) if partner_groups and not board else None)
    return getattr(user, _SCOPE_ATTRIBUTE)


def explorable(pages, user):
    """``pages`` limited to what ``user`` may see in the explorer (unchanged for non-partners)."""
    scope = scope_for(user)
    # By primary key: the admin searches these querysets, and search backends filter on few fields.
    return pages if scope is None else pages.filter(pk__in=Page.objects.filter(scope.visible()).values("pk"))


def choosable(pages, user):
    """``pages`` limited to what ``user`` may choose (unchanged for non-partners)."""
    scope = scope_for(user)
    return pages if scope is None else pages.filter(pk__in=Page.objects.filter(scope.choosable()).values("pk"))


class PartnerPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, with partners' explorable pages limited to their organisation's."""

    def explorable_instances(self, user):
        pages = explorable(super().explorable_instances(user), user)
        # Pages no one but their own people may see (hub.permissions.register_hidden_pages), for everyone.
        hidden = hidden_pages(user)
        return pages if hidden is None else pages.exclude(hidden)


def restrict_user_choices(form, user):
    """Limit every user choice of an admin filter form (owner, edited by, locked by, user...) to the
    partner's colleagues, so a filter never lists another organisation's people."""
    scope = scope_for(user)
    if scope is None:
        return
    user_model = get_user_model()
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if getattr(queryset, "model", None) is user_model:
            field.queryset = queryset.filter(pk__in=scope.colleague_ids)


def install_filter_restriction():
    """Make every Wagtail admin filter form pass through ``restrict_user_choices``.

    Wagtail has no hook for filter choices, and its filter sets fill them in several ways (a
    callable, or ``extra["queryset"]`` set after construction), so the restriction is applied to
    the finished form, where every way ends.
    """
    if getattr(WagtailFilterSet, "_hub_partner_isolation", False):
        return
    built_form = WagtailFilterSet.form.fget

    def form(self):
        form = built_form(self)
        if not getattr(form, "_hub_users_restricted", False):
            restrict_user_choices(form, getattr(self.request, "user", None))
            form._hub_users_restricted = True
        return form

    WagtailFilterSet.form = property(form)
    WagtailFilterSet._hub_partner_isolation = True


class PartnerIsolationMiddleware:
    """For partner users: 404 for admin URLs naming a page they may not see, 403 for other reports."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.path_info.startswith("/admin/"):
            return None
        scope = scope_for(getattr(request, "user", None))
        if scope is None:
            return None
        if "wagtailadmin_reports" in match.namespaces and match.url_name not in PARTNER_REPORTS:
            raise PermissionDenied
        page_ids = [view_kwargs[name] for name in PAGE_ARGUMENTS if name in view_kwargs]
        if page_ids and Page.objects.filter(pk__in=page_ids).filter(scope.choosable()).count() < len(set(page_ids)):
            raise Http404
        return None
