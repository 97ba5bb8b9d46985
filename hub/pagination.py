"""One rule for every paginated listing and the search: a bad page number never fails.

A page number that is not a whole number shows the first page; one past the end (or below one)
shows the last page, so a stale link still lands on results. Templates render the links with
``includes/pagination.html``.
"""

from django.core.paginator import Paginator


def paginate(request, items, per_page):
    """The requested page (``?page=``) of ``items`` as a Django ``Page``."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
