"""Extension points of one page type: an app that sits above a page's app adds sub-routes, editor
tabs and sections of the public page to it, without the page's app importing (or knowing) it.

A feature app registers in its ``AppConfig.ready()``:

- ``register_page_routes(page_model, patterns)``: URL patterns (``django.urls.path``) served below
  the page like its own ``@path`` routes; each view is called as ``view(page, request, ...)``.
- ``register_page_panels(page_model, heading, panels)``: one more tab in the page editor.
- ``register_page_section(page_model, render)``: ``render(page, request)`` returns HTML (from a
  template) that the page's template shows where it places ``{% page_sections page %}``.
- ``register_public_urls(patterns)``: language-prefixed URLs of the public site that belong to no
  page (``hub.urls`` includes them under every language).
- ``register_root_urls(patterns)``: URLs without a language prefix, matched before the admin's (an
  app's own admin screens that answer 403 rather than a sign-in redirect, for instance).

The page model opts in by mixing in ``ExtensiblePageMixin`` (before ``RoutablePageMixin``).
Registrations apply to the model and its subclasses, kept in registration order, once each.
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import ObjectList, TabbedInterface
from wagtail.utils.decorators import cached_classmethod

_routes = defaultdict(list)
_panels = defaultdict(list)
_sections = defaultdict(list)
_public_urls = []
_root_urls = []


def _for(registry, model):
    """What ``registry`` holds for ``model`` and its base classes."""
    return [item for klass in reversed(model.__mro__) for item in registry.get(klass, [])]


def register_page_routes(page_model, patterns):
    """Serve ``patterns`` below every page of ``page_model`` (after the page's own routes)."""
    for pattern in patterns:
        if pattern not in _routes[page_model]:
            _routes[page_model].append(pattern)


def page_routes(page_model):
    return _for(_routes, page_model)


def register_page_panels(page_model, heading, panels):
    """Add a tab called ``heading`` holding ``panels`` to the editor of ``page_model``."""
    entry = (heading, tuple(panels))
    if entry not in _panels[page_model]:
        _panels[page_model].append(entry)


def page_panels(page_model):
    return _for(_panels, page_model)


def register_page_section(page_model, render):
    """Show ``render(page, request) -> HTML`` on pages of ``page_model`` (at ``{% page_sections page %}``)."""
    if render not in _sections[page_model]:
        _sections[page_model].append(render)


def page_sections(page_model):
    return _for(_sections, page_model)


def register_public_urls(patterns):
    """Add language-prefixed public URL patterns that belong to no page."""
    for pattern in patterns:
        if pattern not in _public_urls:
            _public_urls.append(pattern)


def public_urls():
    return list(_public_urls)


def register_root_urls(patterns):
    """Add URL patterns without a language prefix, matched before the admin's."""
    for pattern in patterns:
        if pattern not in _root_urls:
            _root_urls.append(pattern)


def root_urls():
    return list(_root_urls)


class ExtensiblePageMixin:
    """Lets other apps add routes and editor tabs to this page type (see the module docstring).

    Put it before ``RoutablePageMixin`` in the bases: routes are read once per class, when the
    first request is routed, by which time every app's ``ready()`` has registered its own.
    """

    @classmethod
    def get_subpage_urls(cls):
        return (*super().get_subpage_urls(), *page_routes(cls))

    @cached_classmethod
    def get_edit_handler(cls):
        """Wagtail's tabs (content, promote, settings) followed by the registered ones."""
        tabs = []
        if cls.content_panels:
            tabs.append(ObjectList(cls.content_panels, heading=_("Content")))
        for heading, panels in page_panels(cls):
            tabs.append(ObjectList(list(panels), heading=heading))
        if cls.promote_panels:
            tabs.append(ObjectList(cls.promote_panels, heading=_("Promote")))
        if cls.settings_panels:
            tabs.append(ObjectList(cls.settings_panels, heading=_("Settings")))
        return TabbedInterface(tabs, base_form_class=cls.base_form_class).bind_to_model(cls)
