"""Template tags the home page (and others) use to show people and partners without importing this app."""

from django import template

from wagtail.models import Locale

from partners.models import ContributorsPage, PartnerPage, Person, organisation_urls

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or an empty string."""
    return mapping.get(key, "") if mapping else ""


@register.inclusion_tag("partners/includes/home_partners.html", takes_context=True)
def home_partners(context):
    """The board and the supporting organisations, in the visitor's language (a fixed number of queries)."""
    request = context.get("request")
    locale = Locale.get_active()
    board = list(Person.objects.localized(locale).filter(is_board_member=True).for_listing().board_first())
    supporting = list(PartnerPage.objects.live().filter(locale=locale).supporting().for_listing())
    return {
        "request": request,
        "board": board,
        "organisation_urls": organisation_urls(board, locale, request) if request else {},
        "supporting": supporting,
        "contributors_page": ContributorsPage.objects.live().filter(locale=locale).first(),
    }
