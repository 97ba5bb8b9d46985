"""The partners app's section of the home page: the board and the supporting organisations (see ``hub.registry``)."""

from django.template.loader import render_to_string

from wagtail.models import Locale

from .models import ContributorsPage, PartnerPage, Person, attach_organisations


def home_partners(request):
    """The board and the supporting organisations, in the visitor's language (a fixed number of queries)."""
    locale = Locale.get_active()
    board = list(Person.objects.localized(locale).filter(is_board_member=True).for_listing().board_first())
    attach_organisations(board, locale, request)
    supporting = list(PartnerPage.objects.live().filter(locale=locale).supporting().for_listing())
    context = {
        "request": request,
        "board": board,
        "supporting": supporting,
        "contributors_page": ContributorsPage.objects.live().filter(locale=locale).first(),
    }
    return render_to_string("partners/includes/home_partners.html", context)
