"""``{% csp_nonce %}``: the ``nonce`` attribute for the admin's own inline scripts (see ``hub.csp``)."""

from django import template

from hub.csp import nonce_attribute

register = template.Library()


@register.simple_tag
def csp_nonce():
    """`` nonce="..."`` in an admin response (nothing elsewhere): ``<script{% csp_nonce %}>``."""
    return nonce_attribute()
