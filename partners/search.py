"""The partners app's part of the site search: people of the visitor's language (see ``hub.registry``)."""

from django.utils.translation import gettext as _

from wagtail.search.backends import get_search_backend

from hub.registry import SearchHit, SearchSection

from .models import ContributorsPage, Person

MAX_PEOPLE = 10


def people_section(query, locale):
    """People of ``locale`` matching ``query``, each linked to their card on the contributors page."""
    people = Person.objects.filter(locale_id=locale.pk)
    found = list(get_search_backend().search(query, people, operator="and")[:MAX_PEOPLE])
    if not found:
        return None
    url = ContributorsPage.url_in(locale)
    return SearchSection(
        heading=_("People"),
        hits=[SearchHit(person.name, f"{url}#person-{person.pk}" if url else "", person.role) for person in found],
    )
