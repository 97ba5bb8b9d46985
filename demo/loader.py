"""Load the demo content from the data files in ``demo/data/``, idempotently, in dependency order.

Each data file holds one section's English content with its translations beside it; the
translations are applied through wagtail-localize's own records (``hub.translation``), so the
admin shows them as real translations. Objects are found by a natural key (a slug or a name).
The home page and the section pages belong to the site itself (``migrate`` makes them): the demo
sets their fields from the data, as it does the footer text and the settings' page links.
Everything else is created when missing and otherwise left as it is, so editors' changes to it
survive a second run, which changes nothing.
"""

import uuid
from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail_localize.models import StringTranslation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

from articles.models import ArticleAuthor, ArticleDownload, ArticleIndexPage, ArticleKind, ArticlePage, ArticlePageTag
from digests.models import SubscribePage
from events.models import (
    EventFormat,
    EventIndexPage,
    EventOrganiser,
    EventPage,
    EventPageTag,
    EventSpeaker,
    EventStatus,
)
from events.timezones import local_to_utc
from groups.models import (
    DraftPage,
    MeetingPage,
    MembersAreaPage,
    WorkingGroupChair,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)
from home.models import HomePage, StandardPage
from hub.models import FooterText, SiteSettings, Topic, TopicLabel
from hub.translation import is_translated, translate, translated_segment
from partners.choices import PartnerType
from partners.models import ContributorsPage, JoinPage, PartnerIndexPage, PartnerPage, Person
from partners.permissions import partner_collection, setup_partner_access
from registrations.models import RegistrationSettings

DATA = Path(__file__).resolve().parent / "data"
FILES = Path(__file__).resolve().parent / "files"
# The languages the data files translate into.
LANGUAGES = ("es", "fr", "ar")
# The section pages under the home page, by their fixed slug.
SECTIONS = {
    "articles": ArticleIndexPage,
    "events": EventIndexPage,
    "partners": PartnerIndexPage,
    "contributors": ContributorsPage,
    "join": JoinPage,
    "working-groups": WorkingGroupIndexPage,
    "subscribe": SubscribePage,
}


def read(name):
    """The data file ``name``, its translations as ``{English: {language: text}}``."""
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as file:
        data = yaml.safe_load(file)
    data["translations"] = strings(data.get("translations", []))
    return data


def strings(entries):
    """``[{en: ..., es: ..., ...}]`` as the ``{English: {language: text}}`` that ``translate`` takes."""
    return {entry["en"]: {code: text for code, text in entry.items() if code != "en"} for entry in entries}


def stream(blocks, pages=None):
    """A StreamField's raw value from data blocks (``{type: value}``; a paragraph is its text).

    A call to action names its target page by slug, looked up in ``pages``.
    """
    raw = []
    for block in blocks:
        ((block_type, value),) = block.items()
        if block_type == "paragraph":
            value = f"<p>{value}</p>"
        elif block_type == "call_to_action" and value.get("page"):
            value = {**value, "page": pages[value["page"]].pk}
        elif block_type == "highlights":
            items = [{"type": "item", "value": item, "id": str(uuid.uuid4())} for item in value["items"]]
            value = {**value, "items": items}
        raw.append({"type": block_type, "value": value})
    return raw


def _without_ids(value):
    """A stream's prep value without the block ids, which differ on every save."""
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _blocks(value):
    """A stream's blocks as they are stored, binding each one so that both sides are normalised alike."""
    return _without_ids(
        [{"type": child.block_type, "value": child.block.get_prep_value(child.value)} for child in value]
    )


def _differs(instance, name, value):
    """True when setting field ``name`` of ``instance`` to ``value`` would change it."""
    current = getattr(instance, name)
    if isinstance(instance._meta.get_field(name.removesuffix("_id")), StreamField):
        return _blocks(current) != _blocks(current.stream_block.to_python(value))
    return current != value


def site_has_content():
    """True when the site has pages below the section pages that ``migrate`` makes (whichever apps add sections)."""
    return Page.objects.filter(depth__gt=3).exists()


class DemoLoader:
    """Loads every data file in dependency order; ``report`` counts what each section changed."""

    def __init__(self):
        self.locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
        self.report = {
            step: Counter()
            for step in ("sections", "topics", "partners", "people", "pages", "articles", "events", "working groups")
        }
        self.pending = []  # (section, instance, strings, changed) to translate, in dependency order
        self.home = None
        self.pages = {}  # pages under the home page by slug: sections and standard pages
        self.topics, self.partners, self.people = {}, {}, {}

    def run(self):
        """Load everything; return ``{section: Counter(created=, updated=, translated=)}``."""
        self.load_sections()
        self.load_topics()
        self.load_partners()
        self.load_people()
        self.load_pages()
        self.load_articles()
        self.load_events()
        self.load_working_groups()
        self.translate_pending()
        for locale in Locale.objects.exclude(pk=self.locale.pk):
            # Untranslated pages get an alias (with the "not translated yet" notice) in every locale.
            synchronize_tree(self.locale, locale)
        return {section: counts for section, counts in self.report.items() if counts}

    def count(self, section, action):
        self.report[section][action] += 1

    # --- Steps, in dependency order ---------------------------------------------------------------

    def load_sections(self):
        """The home page and the section pages below it, with their text from the data, translated.

        They are translated at once, so that partner groups (set up next) get their rights
        under every language's articles and events pages, as an invitation on a live site would.
        """
        data = read("sections")
        self.home = HomePage.objects.filter(locale=self.locale).first() or self.make_home()
        for slug, model in SECTIONS.items():
            fields = data["sections"][slug]
            page = model.objects.filter(locale=self.locale).first()
            changed = False
            if page is None:
                page = self.add(self.home, model(slug=slug, **fields))
                self.count("sections", "created")
            elif self.update(page, fields):
                changed = True
                self.count("sections", "updated")
            self.pages[slug] = page
            self.translate_if_needed("sections", page, data["translations"], changed)

    def load_topics(self):
        """Topics by English label; each label (made with its topic) is translated later."""
        for entry in read("topics")["topics"]:
            name = entry["en"]
            topic = Topic.objects.filter(name__iexact=name).first()
            if topic is None:
                topic = Topic.objects.create(name=name, slug=slugify(name))
                self.count("topics", "created")
            self.topics[name] = topic
            label = TopicLabel.objects.get(topic=topic, locale=self.locale)
            self.pending.append(("topics", label, strings([{**entry, "en": label.name}]), False))

    def load_partners(self):
        """Partner profiles, each with its partner group, its collection and its logo in it."""
        data = read("partners")
        for spec in data["partners"]:
            page = PartnerPage.objects.filter(locale=self.locale, slug=spec["slug"]).first()
            if page is None:
                page = PartnerPage(
                    locale=self.locale,
                    slug=spec["slug"],
                    title=spec["title"],
                    partner_type=PartnerType(spec["type"]),
                    country=spec.get("country", ""),
                    website=spec.get("website", ""),
                    summary=spec.get("summary", ""),
                )
                self.pages["partners"].add_child(instance=page)
                setup_partner_access(page)
                page.logo = self.image(spec["logo"], f"{spec['title']} logo", partner_collection(page))
                for name in spec.get("topics", []):
                    page.topics.add(self.topics[name])
                page.save_revision().publish()
                self.count("partners", "created")
            self.partners[spec["slug"]] = page
            self.pending.append(("partners", page, data["translations"], False))

    def load_people(self):
        """Contributors, in the order of the data (their ``sort_order``)."""
        data = read("people")
        for position, spec in enumerate(data["people"]):
            person = Person.objects.filter(locale=self.locale, name=spec["name"]).first()
            if person is None:
                person = Person.objects.create(
                    locale=self.locale,
                    name=spec["name"],
                    role=spec.get("role", ""),
                    organisation=self.partners[spec["organisation"]] if "organisation" in spec else None,
                    organisation_name=spec.get("organisation_name", ""),
                    is_board_member=spec.get("board", False),
                    sort_order=position,
                    photo=self.image(
                        f"images/people/{slugify(spec['name'])}.png",
                        spec["name"],
                        alt=f"Portrait of {spec['name']} (illustration)",
                    ),
                )
                self.count("people", "created")
            self.people[spec["name"]] = person
            self.pending.append(("people", person, data["translations"], False))

    def load_pages(self):
        """Standard pages, the site settings that point at them, the footer text, and the home page."""
        data = read("home")
        translations = data["translations"]
        for spec in data["pages"]:
            page = StandardPage.objects.child_of(self.home).filter(slug=spec["slug"]).first()
            if page is None:
                page = self.add(self.home, StandardPage(**{**spec, "body": stream(spec.get("body", []))}))
                self.count("pages", "created")
            self.pages[spec["slug"]] = page
            self.pending.append(("pages", page, translations, False))

        site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        links = {f"{field}_id": self.pages[slug].pk for field, slug in data["settings"].items()}
        if any(_differs(site_settings, field, value) for field, value in links.items()):
            for field, value in links.items():
                setattr(site_settings, field, value)
            site_settings.save()
            self.count("pages", "updated")

        footer = FooterText.objects.filter(locale=self.locale).first()
        changed = False
        if footer is None:
            footer = FooterText.objects.create(locale=self.locale, text=data["footer"])
            self.count("pages", "created")
        elif footer.text != data["footer"]:
            footer.text, changed = data["footer"], True
            footer.save()
            self.count("pages", "updated")
        self.pending.append(("pages", footer, translations, changed))

        fields = {**data["home"], "body": stream(data["home"]["body"], self.pages)}
        fields["hero_cta_page_id"] = self.pages[fields.pop("hero_cta_page")].pk
        changed = self.update(self.home, fields)
        if changed:
            self.count("pages", "updated")
        self.pending.append(("pages", self.home, translations, changed))

    def load_articles(self):
        """Articles with their topics, authors and downloads."""
        data = read("articles")
        index = self.pages["articles"]
        for spec in data["articles"]:
            article = ArticlePage.objects.filter(locale=self.locale, slug=spec["slug"]).first()
            if article is None:
                article = ArticlePage(
                    slug=spec["slug"],
                    title=spec["title"],
                    kind=ArticleKind(spec["kind"]),
                    date=spec["date"],
                    summary=spec["summary"],
                    body=stream(spec.get("body", [])),
                    hero_image=self.illustration("articles", spec),
                )
                article.tagged_items = [ArticlePageTag(tag=self.topics[name]) for name in spec.get("topics", [])]
                article.authors = [
                    ArticleAuthor(person=self.people[name], sort_order=order)
                    for order, name in enumerate(spec.get("authors", []))
                ]
                article.downloads = [
                    ArticleDownload(document=self.document(download["file"], spec["title"]), title=download["title"])
                    for download in spec.get("downloads", [])
                ]
                self.add(index, article)
                self.count("articles", "created")
            if spec.get("translated"):
                self.pending.append(("articles", article, data["translations"], False))

    def load_events(self):
        """Events dated from today, with their speakers, organisers, topics and agenda."""
        data = read("events")
        index = self.pages["events"]
        for spec in data["events"]:
            event = EventPage.objects.child_of(index).filter(slug=spec["slug"]).first()
            if event is None:
                event = self.add(index, self.event(spec))
                self.count("events", "created")
            if spec.get("translated"):
                self.pending.append(("events", event, data["translations"], False))

    def load_working_groups(self):
        """Each group's public summary (translated) and its members-only area, meetings and drafts
        (English; the other languages get aliases, restricted like the English pages)."""
        data = read("working_groups")
        index = self.pages["working-groups"]
        for spec in data["groups"]:
            page = WorkingGroupPage.objects.child_of(index).filter(slug=spec["slug"]).first()
            if page is None:
                page = WorkingGroupPage(
                    slug=spec["slug"],
                    title=spec["title"],
                    summary=spec["summary"],
                    charter=stream(spec.get("charter", [])),
                    how_to_join=spec.get("how_to_join", ""),
                )
                page.chair_people = [
                    WorkingGroupChair(person=self.people[name], sort_order=order)
                    for order, name in enumerate(spec.get("chairs", []))
                ]
                page.member_organisations = [self.partners[slug] for slug in spec.get("organisations", [])]
                self.add(index, page)  # publishing makes the group and its members' area
                group = page.working_group
                group.time_zone = spec.get("time_zone", "UTC")
                group.save(update_fields=["time_zone"])
                self.count("working groups", "created")
                self.load_members_area(page, spec)
            self.pending.append(("working groups", page, data["translations"], False))

    def load_members_area(self, page, spec):
        """The members' area of a new group: its text, meetings and drafts."""
        area = MembersAreaPage.objects.child_of(page).get()
        self.update(area, {"introduction": spec["area"]["introduction"], "tlp": spec["area"]["tlp"]})
        today = timezone.now().astimezone(page.working_group.zone).date()
        for meeting in spec.get("meetings", []):
            self.add(
                area,
                MeetingPage(
                    slug=meeting["slug"],
                    title=meeting["title"],
                    tlp=meeting.get("tlp", "amber"),
                    date=today + timedelta(days=meeting["days"]),
                    start_time=time.fromisoformat(meeting["start"]),
                    end_time=time.fromisoformat(meeting["end"]),
                    location=meeting.get("location", ""),
                    agenda=[{"type": "paragraph", "value": f"<p>{item}</p>"} for item in meeting.get("agenda", [])],
                    minutes=stream(meeting.get("minutes", [])),
                    attendees="\n".join(meeting.get("attendees", [])),
                    action_items=[
                        {
                            "type": "item",
                            "value": {
                                "action": action["action"],
                                "owner": action.get("owner", ""),
                                "due": (today + timedelta(days=action["days"])).isoformat() if "days" in action else None,
                                "done": action.get("done", False),
                            },
                        }
                        for action in meeting.get("actions", [])
                    ],
                ),
            )
        for draft in spec.get("drafts", []):
            self.add(
                area,
                DraftPage(
                    slug=draft["slug"],
                    title=draft["title"],
                    summary=draft.get("summary", ""),
                    status=draft.get("status", "working"),
                    tlp=draft.get("tlp", "amber"),
                    body=stream(draft.get("body", [])),
                ),
            )

    def translate_pending(self):
        """Translate, in the order loaded, whatever is new, changed or missing a translation from the data."""
        for section, instance, translations, changed in self.pending:
            self.translate_if_needed(section, instance, translations, changed)

    # --- Helpers --------------------------------------------------------------------------------

    def add(self, parent, page):
        """Add ``page`` under ``parent`` in the default locale and publish it."""
        page.locale = parent.locale
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def update(self, page, fields):
        """Set ``fields`` on ``page`` and publish it when any of them differs; return whether one did."""
        changed = {name: value for name, value in fields.items() if _differs(page, name, value)}
        if changed:
            for name, value in changed.items():
                setattr(page, name, value)
            page.save_revision().publish()
        return bool(changed)

    def translate_if_needed(self, section, instance, translations, changed):
        """Translate ``instance`` when it changed, lacks a language, or lacks a string translation from the data."""
        if changed or not self.is_translated_as(instance, translations):
            translate(instance, translations, LANGUAGES)
            self.count(section, "translated")

    def is_translated_as(self, instance, translations):
        """True when ``instance`` is translated into every language with every string the data gives."""
        if not all(is_translated(instance, code) for code in LANGUAGES):
            return False
        source = TranslationSource.objects.filter(object_id=instance.translation_key, locale=instance.locale).first()
        if source is None:
            return False
        wanted = {
            (segment.string_id, segment.context_id, code, text)
            for segment in source.stringsegment_set.select_related("string")
            for code in LANGUAGES
            if (text := translated_segment(translations, segment.string.data, code))
        }
        present = StringTranslation.objects.filter(
            translation_of_id__in={string for string, *_rest in wanted}, locale__language_code__in=LANGUAGES
        ).values_list("translation_of_id", "context_id", "locale__language_code", "data")
        return wanted <= set(present)

    def make_home(self):
        """A translated home page as the default Site's root, for a database that has none.

        ``migrate`` makes the home page, its translations and the Site; this covers a database
        without them (one made before that, or flushed by a transactional test).
        """
        data = read("home")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=self.locale))
        # Wagtail's own "Welcome" placeholder page makes way; the Site is re-pointed first.
        placeholders = list(root.get_children().not_type(HomePage))
        for placeholder in placeholders:
            placeholder.slug = f"placeholder-{placeholder.pk}"
            placeholder.save(update_fields=["slug"], clean=False)
        fields = {name: data["home"][name] for name in ("title", "hero_heading", "hero_text", "hero_cta_label")}
        home = HomePage(slug="home", locale=self.locale, **fields)
        root.add_child(instance=home)
        home.save_revision().publish()
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site = Site.objects.filter(is_default_site=True).first() or Site(
            is_default_site=True,
            hostname=address.hostname or "localhost",
            port=address.port or (443 if address.scheme == "https" else 80),
            site_name="Securing Smart Cities",
        )
        site.root_page = home
        site.save()
        for placeholder in placeholders:
            placeholder.delete()
        # Translated now: the section pages below it can only be translated under a translated parent.
        translate(home, data["translations"], LANGUAGES)
        self.count("sections", "created")
        self.count("sections", "translated")
        return home

    def image(self, path, title, collection=None, alt=""):
        """An image from ``demo/files/``, in ``collection`` (default: the root), ``alt`` its description."""
        collection = collection or Collection.get_first_root_node()
        image = get_image_model()(title=title, collection=collection, description=alt)
        with (FILES / path).open("rb") as file:
            image.file = ImageFile(file, name=Path(path).name)
            image.save()
        return image

    def illustration(self, section, spec):
        """The drawn illustration of an article or event (``demo/make_images.py``), when there is one."""
        path = f"images/{section}/{spec['slug']}.png"
        if not (FILES / path).exists():
            return None
        return self.image(path, spec["title"], alt=spec.get("image_alt", ""))

    def document(self, path, title):
        """A document from ``demo/files/``, in the root collection."""
        document = get_document_model()(title=title, collection=Collection.get_first_root_node())
        with (FILES / path).open("rb") as file:
            document.file.save(Path(path).name, File(file), save=False)
        document.file_size = document.file.size
        document.save()
        return document

    def event(self, spec):
        """An unsaved EventPage from its data, dated from today in the event's own time zone."""
        zone = spec["timezone"]
        today = timezone.now().astimezone(ZoneInfo(zone)).date()
        first_day = today + timedelta(days=spec["days"])

        def at(day, clock):
            return local_to_utc(datetime.combine(day, time.fromisoformat(clock)), zone)

        event = EventPage(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec.get("summary", ""),
            hero_image=self.illustration("events", spec),
            timezone=zone,
            start=at(first_day, spec["start"]),
            end=at(first_day + timedelta(days=spec.get("length", 0)), spec["end"]),
            event_format=EventFormat(spec["format"]),
            status=EventStatus(spec.get("status", EventStatus.SCHEDULED)),
            venue_name=spec.get("venue_name", ""),
            address=spec.get("address", ""),
            city=spec.get("city", ""),
            country=spec.get("country", ""),
            online_url=spec.get("online_url", ""),
            registration_url=spec.get("registration_url", ""),
            registration_deadline=(
                at(today + timedelta(days=spec["deadline_days"]), "23:59") if "deadline_days" in spec else None
            ),
            body=stream(spec.get("body", [])),
            agenda=[
                {
                    "type": "session",
                    "value": {
                        "day": (first_day + timedelta(days=session["day"])).isoformat(),
                        "start_time": session["start"],
                        "title": session["title"],
                        "speaker_names": session.get("speaker_names", ""),
                        "people": [],
                    },
                }
                for session in spec.get("agenda", [])
            ],
        )
        event.speakers = [
            EventSpeaker(person=self.people[name], sort_order=order)
            for order, name in enumerate(spec.get("speakers", []))
        ]
        event.organisers = [
            EventOrganiser(partner=self.partners[slug], sort_order=order)
            for order, slug in enumerate(spec.get("organisers", []))
        ]
        event.tagged_items = [EventPageTag(tag=self.topics[name]) for name in spec.get("topics", [])]
        if "registration" in spec:
            event.registration_settings = [self.registration_settings(spec["registration"])]
        return event

    @staticmethod
    def registration_settings(spec):
        """Registration on this site for an event (``registration:`` in events.yaml)."""
        questions = [
            {
                "type": "question",
                "value": {
                    "label": question["label"],
                    "help_text": question.get("help_text", ""),
                    "kind": question.get("kind", "text"),
                    "choices": question.get("choices", []),
                    "required": question.get("required", False),
                },
            }
            for question in spec.get("questions", [])
        ]
        fields = {key: value for key, value in spec.items() if key != "questions"}
        return RegistrationSettings(locale=Locale.get_default(), questions=questions, **fields)
