"""Template tags shared by every page: languages, alternates and navigation."""

from typing import NamedTuple

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from hub import extensions, formats, labels, memo, registry, routing
from hub.models import HubPageQuerySet
from hub.site_address import absolute_url

register = template.Library()


class MenuItem(NamedTuple):
    """A page linked from the header or footer menu (plain data: kept per generation, ``hub.memo``)."""

    title: str
    url: str
    path: str


def _site_root_id(request):
    site = routing.find_site(request)
    return site.root_page_id if site is not None else None


class LocaleHome(NamedTuple):
    """A language's home page as the menus need it (plain data: kept per generation, ``hub.memo``)."""

    url: str
    path: str
    depth: int


def _locale_homes(request):
    """``{language code: LocaleHome}`` of every live translation of the site root: one query per
    page-cache generation (``hub.memo``), shared by every tag of every page."""
    root_id = _site_root_id(request)

    def compute():
        if root_id is None:
            return {}
        keys = Page.objects.filter(pk=root_id).values("translation_key")
        homes = Page.objects.filter(translation_key__in=keys).live().select_related("locale")
        return {home.locale.language_code: LocaleHome(home.get_url(request), home.path, home.depth) for home in homes}

    return memo.per_generation(("locale-homes", root_id, request.get_host()), compute)


def _locale_home_urls(request):
    """``{language code: URL}`` of the locale homes."""
    return {code: home.url for code, home in _locale_homes(request).items()}


@register.simple_tag(takes_context=True)
def locale_home(context):
    """``{"url": ...}`` of the active language's home page (the default language's without one), or None."""
    request = context.get("request")
    if request is None:
        return None
    urls = _locale_home_urls(request)
    url = urls.get(translation.get_language()) or urls.get(settings.LANGUAGE_CODE)
    return {"url": url} if url else None


def _sub_route(request, page):
    """The part of the path after the page's own URL: a routable sub-route such as ``past/``."""
    page_path = page.get_url(request) or ""
    if page_path.startswith("http"):
        page_path = "/" + page_path.split("/", 3)[-1]
    return request.path[len(page_path) :] if request.path.startswith(page_path) else ""


@register.simple_tag(takes_context=True)
def page_languages(context):
    """Canonical URL, hreflang alternates and language-switcher entries for the current response.

    For a Wagtail page the alternates are its real translations (aliases of an untranslated
    page are left out: they duplicate the source), at the same sub-route for routable pages
    (``/es/events/past/`` for ``/en/events/past/``). The switcher keeps the visitor on the same
    page in each language, or sends them to that language's home page when it has no version.
    """
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    current = translation.get_language()
    result = {
        "canonical": "",
        "alternates": [],
        "x_default": "",
        "switcher": [],
        "is_alias": False,
        "source_language": "",
    }

    if not (isinstance(page, Page) and page.pk):
        path = request.get_full_path()
        result["canonical"] = absolute_url(request, request.path)
        result["switcher"] = [
            {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ]
        return result

    suffix = _sub_route(request, page)
    if getattr(request, "is_preview", False):
        return _page_languages(request, page, suffix, current, result)
    key = ("page-languages", page.pk, page.url_path, suffix, current, request.get_host())
    return memo.per_generation(key, lambda: _page_languages(request, page, suffix, current, result))


def _page_languages(request, page, suffix, current, result):
    """``page_languages`` of a Wagtail page: its live translations (one query)."""
    versions = {
        version.locale.language_code: version
        for version in page.get_translations(inclusive=True).live().select_related("locale")
    }
    if page.alias_of_id:
        source = next((v for v in versions.values() if v.pk == page.alias_of_id), None) or page.alias_of
        result["is_alias"] = True
        result["canonical"] = source.get_full_url(request) + suffix
        result["source_language"] = source.locale.language_code
    else:
        result["canonical"] = page.get_full_url(request) + suffix
        real = {code: version for code, version in versions.items() if not version.alias_of_id}
        result["alternates"] = [
            {"code": code, "url": real[code].get_full_url(request) + suffix}
            for code, _name in settings.LANGUAGES
            if code in real
        ]
        if settings.LANGUAGE_CODE in real:
            result["x_default"] = real[settings.LANGUAGE_CODE].get_full_url(request) + suffix
    for code, name in settings.LANGUAGES:
        target = versions.get(code)
        if target is not None:
            url = target.get_url(request) + suffix
        else:
            url = _locale_home_urls(request).get(code) or f"/{code}/"
        result["switcher"].append({"code": code, "name": name, "url": url, "current": code == current})
    return result


@register.simple_tag(takes_context=True)
def main_menu(context):
    """``[MenuItem]``: live children of the active language's home page marked 'show in menus'
    (kept per page-cache generation and language, ``hub.memo``)."""
    request = context.get("request")
    if request is None:
        return []
    language = translation.get_language()
    root_id = _site_root_id(request)

    def compute():
        homes = _locale_homes(request)
        home = homes.get(language) or homes.get(settings.LANGUAGE_CODE)
        if home is None:
            return []
        children = (
            HubPageQuerySet(Page)
            .filter(path__startswith=home.path, depth=home.depth + 1)
            .live()
            .public()
            .in_menu()
            .order_by("path")
            .only("id", "title", "url_path", "path", "depth")
        )
        return [MenuItem(child.title, child.get_url(request), child.path) for child in children]

    return memo.per_generation(("menu", root_id, language, request.get_host()), compute)


@register.simple_tag(takes_context=True)
def current_section(context, menu):
    """The ``path`` of the menu item the context's page is in (or is), else "": what the header's menus
    depend on, so that they are kept once per section (``public_fragment``) rather than once per page."""
    page = context.get("page")
    if isinstance(page, Page):
        for item in menu:
            if page.path.startswith(item.path):
                return item.path
    return ""


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in templates (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def topic_label(topic):
    """A topic's label in the active language (cached; falls back to the English label or name)."""
    return labels.topic_labels(translation.get_language()).get(topic.pk) or topic.name


@register.simple_tag
def footer_text():
    """The footer text of the active language."""
    return labels.footer_text(translation.get_language())


@register.simple_tag(takes_context=True)
def footer_links(context):
    """``[(title, url)]`` of the privacy and disclosure pages in the active language (cached)."""
    request = context.get("request")
    site = routing.find_site(request) if request is not None else None
    return labels.footer_links(site, translation.get_language()) if site is not None else []


@register.simple_tag
def head_links():
    """Feeds and calendars the feature apps announce in every page's head, in the active language (cached)."""
    return labels.head_links(translation.get_language())


@register.simple_tag(takes_context=True)
def home_sections(context, start=0, stop=1000):
    """The sections feature apps add to the home page (``hub.registry``) whose order is in [start, stop)."""
    request = context.get("request")
    renders = [render for render in registry.home_sections() if start <= getattr(render, "home_order", 50) < stop]
    return format_html_join("", "{}", ((_home_section(render, request),) for render in renders))


def _home_section(render, request):
    """One home section's HTML; a site-wide one once per generation, language and host (``hub.memo``)."""
    if not getattr(render, "home_sitewide", False) or request is None:
        return render(request)
    key = ("home-section", render.__module__, render.__qualname__, translation.get_language(), request.get_host())
    return memo.per_generation(key, lambda: render(request))



@register.simple_tag(takes_context=True)
def page_sections(context, page):
    """The sections other apps add to pages of this type (``hub.extensions``), in registration order."""
    request = context.get("request")
    return format_html_join("", "{}", ((render(page, request),) for render in extensions.page_sections(type(page))))


@register.simple_tag
def follow_links(topics=None):
    """Ways to follow ``topics`` (Topic objects or slugs; none: the site's topics in general) that
    feature apps offer through ``hub.registry``, in the active language (cached)."""
    if isinstance(topics, str) or hasattr(topics, "slug"):
        topics = [topics]
    slugs = [getattr(topic, "slug", topic) for topic in (topics or []) if topic]
    return [link.for_topics(slugs) for link in labels.follow_links(translation.get_language())]


# --- Dates, times and languages of content (hub.formats) ---------------------------------------


@register.filter
def long_date(value):
    """A date (or the date of a datetime) in the active language's long form (``10 mars 2025``)."""
    return formats.long_date(value)


@register.simple_tag
def event_when(event):
    """``{"text", "zone"}``: an event's dates and times in its own zone, in the active language."""
    return formats.event_when(event.start, event.end, event.zone)


@register.filter
def local_moment(moment, zone):
    """An instant in ``zone`` as date and time in the active language (deadlines)."""
    return formats.local_moment(moment, zone) if moment else ""


def _language_attrs(language):
    if not language or language == translation.get_language():
        return ""
    direction = "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', language, direction)


@register.filter
def content_language(item):
    """The language ``item``'s text is in: an untranslated page (an alias) shows its source's."""
    if getattr(item, "alias_of_id", None):
        return settings.LANGUAGE_CODE
    language = getattr(item, "language", "")  # search results carry it
    if language:
        return language
    locale_id = getattr(item, "locale_id", None)
    return labels.locale_codes().get(locale_id) or translation.get_language()


@register.filter
def lang_attrs(item):
    """`` lang="en" dir="ltr"`` for an element holding ``item``'s text when it is not in the active language."""
    return _language_attrs(content_language(item))


# "Only in English" reads naturally in every language only as a whole sentence per language.
ONLY_IN = {
    "en": gettext_lazy("Only in English"),
    "es": gettext_lazy("Only in Spanish"),
    "fr": gettext_lazy("Only in French"),
    "ar": gettext_lazy("Only in Arabic"),
}


@register.filter
def only_in(code):
    """The marker of content shown untranslated, in language ``code`` ("Only in English")."""
    if code in ONLY_IN:
        return ONLY_IN[code]
    return translation.gettext("Only in %(language)s") % {"language": language_name(code)}


@register.filter
def language_direction(code):
    """``rtl`` or ``ltr`` for language ``code``."""
    try:
        return "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


@register.filter
def language_name(code):
    """The name of language ``code`` in the active language (``inglés`` for ``en`` in Spanish)."""
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.filter
def short_time(value):
    """A time of day in the active language's clock (``9:30 AM``, ``09:30``, ``9:30 ص``)."""
    return formats.short_time(value) if value else ""


@register.filter
def initials(name):
    """Up to two initials of a name, for a placeholder where there is no photo or logo."""
    parts = [part for part in str(name).replace("-", " ").split() if part[:1].isalnum()]
    return "".join(part[0] for part in parts[:2]).upper()


@register.simple_tag(takes_context=True)
def localized_url(context, page_or_id):
    """The URL of a page's live version in the active language (else the page's own): Wagtail's
    ``{% pageurl page.localized %}``, kept per page-cache generation (``hub.memo``) instead of
    two queries each time."""
    request = context.get("request")
    page_id = getattr(page_or_id, "pk", page_or_id)
    if not page_id:
        return ""
    language = translation.get_language()

    def compute():
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            return ""
        version = page.get_translations(inclusive=True).live().filter(locale__language_code=language).first()
        return (version or page).get_url(request) or ""

    host = request.get_host() if request is not None else ""
    return memo.per_generation(("localized-url", page_id, language, host), compute)


class PublicFragmentNode(template.Node):
    """See ``public_fragment``."""

    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False) or memo.current_generation() is None:
            return self.nodelist.render(context)
        values = tuple(str(value.resolve(context)) for value in self.vary_on)
        key = ("fragment", self.name, values, translation.get_language(), request.get_host())
        return memo.per_generation(key, lambda: self.nodelist.render(context))


@register.tag
def public_fragment(parser, token):
    """``{% public_fragment "name" value... %}…{% endpublic_fragment %}``: the HTML inside, rendered once
    per page-cache generation, language, host and ``value``s (``hub.memo``), and every visible change
    renders it again. Only for public content that depends on nothing else: never the visitor, the
    query string or a preview (previews always render it afresh)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("public_fragment needs a name")
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])
