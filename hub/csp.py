"""Nonces for the Wagtail admin's own inline scripts, so the admin's CSP needs no 'unsafe-inline'.

Wagtail 8 and wagtail-localize still start a few widgets with small inline scripts: every chooser
widget (``BaseChooser.render`` writes ``<script>new PageChooser(...)</script>``), the date and time
pickers, inline panels, wagtail-localize's translation screens and search promotions. The admin's
policy allows scripts from the hub's own origin plus those carrying this request's nonce, and
only the hub's own code hands the nonce out:

- ``{% csp_nonce %}`` (``hub_csp`` tag library) in the hub's copies of those templates
  (``hub/templates/wagtailadmin/...``, ``.../wagtail_localize/...``), which change nothing but the
  ``nonce`` attribute;
- ``install_chooser_nonce()``, which makes ``BaseChooser.render`` mark its script the same way.

Widgets are rendered without the request in their context, so the middleware keeps the current
admin request in a context variable for the time of the response. Scripts injected into a page
(the thing CSP is there to stop) never carry the nonce, since the hub writes it only into
markup its own templates and widgets produce.
"""

import contextvars

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from wagtail.admin.widgets.chooser import BaseChooser

_admin_request = contextvars.ContextVar("hub_admin_request", default=None)


def set_admin_request(request):
    """Make ``request`` the one whose nonce admin scripts get; returns a token for ``reset_admin_request``."""
    return _admin_request.set(request)


def reset_admin_request(token):
    _admin_request.reset(token)


def script_nonce():
    """This admin request's nonce (django-csp then adds it to the policy), or "" outside the admin."""
    request = _admin_request.get()
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def nonce_attribute():
    """`` nonce="..."`` for a ``<script>`` tag, or nothing outside the admin."""
    nonce = script_nonce()
    return format_html(' nonce="{}"', nonce) if nonce else ""


def add_nonce(html):
    """``html`` with its bare ``<script>`` tags given this request's nonce."""
    attribute = nonce_attribute()
    return mark_safe(str(html).replace("<script>", f"<script{attribute}>")) if attribute else html  # noqa: S308


def install_chooser_nonce():
    """Make every chooser widget's start-up script carry the nonce (Wagtail has no hook for it)."""
    if getattr(BaseChooser, "_hub_csp_nonce", False):
        return
    render = BaseChooser.render

    def render_with_nonce(self, *args, **kwargs):
        return add_nonce(render(self, *args, **kwargs))

    BaseChooser.render = render_with_nonce
    BaseChooser._hub_csp_nonce = True
