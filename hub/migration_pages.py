"""Create pages in data migrations, where models are historical and have no treebeard methods.

Used by the migrations that install the home page and the sections (see ``hub.install``). Models
are the migration's historical ones, passed in: ``page_model`` is ``wagtailcore.Page``. A new page
is live, in its parent's locale, and placed as the parent's last child the way treebeard's
materialised path does it (steps of four base-36 digits).
"""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from wagtail.coreutils import get_supported_content_language_variant

STEP_LENGTH = 4
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number):
    text = ""
    while number:
        number, digit = divmod(number, len(DIGITS))
        text = DIGITS[digit] + text
    return text.rjust(STEP_LENGTH, "0")


def default_language_home(home_model):
    """The site root page of ``home_model`` (depth 2) in the default language, or None."""
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    return home_model.objects.filter(depth=2, alias_of__isnull=True, locale__language_code=language).first()


def add_child_page(page_model, parent, page, content_type):
    """Save ``page`` (an unsaved page instance) as the last child of ``parent``; return it."""
    last = (
        page_model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEP_LENGTH:], len(DIGITS)) + 1 if last else 1
    now = timezone.now()
    page.content_type = content_type
    page.path = parent.path + _step(number)
    page.depth = parent.depth + 1
    page.numchild = 0
    page.url_path = f"{parent.url_path}{page.slug}/"
    page.locale_id = parent.locale_id
    page.draft_title = page.title
    page.live = True
    page.first_published_at = page.last_published_at = now
    page.save()
    page_model.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    return page


def add_section(page_model, content_type_model, home_model, section_model, *, slug, title):
    """Add a live ``section_model`` page called ``title`` at ``/slug/`` under the default language's home page.

    Nothing happens when there is no home page yet, when it already has a section of this type,
    or when another page already uses the slug. Returns the new page or None.
    """
    home = default_language_home(home_model)
    if home is None:
        return None
    children = page_model.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    if section_model.objects.filter(pk__in=children.values("pk")).exists() or children.filter(slug=slug).exists():
        return None
    content_type, _created = content_type_model.objects.get_or_create(
        app_label=section_model._meta.app_label, model=section_model._meta.model_name
    )
    return add_child_page(page_model, home, section_model(title=title, slug=slug, show_in_menus=True), content_type)
