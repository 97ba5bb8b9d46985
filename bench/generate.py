"""A large generated data set for benchmarks and large-data tests, written with bulk inserts.

``generate(articles=10_000, events=1_000, partners=500)`` adds that many articles, events and
partner organisations under the existing section pages, each as a real translation in every
language of ``bench.vocabulary.LANGUAGES`` (so 10,000 articles are 40,000 article pages), with
topics, authors, organisers and search index entries. It needs the site that ``migrate`` installs
(the section pages in every locale); the demo content may be there too.

Pages are inserted a few thousand rows at a time (materialised paths computed here, as treebeard
would), not saved one by one, so 46,000 pages take about a minute (indexing them, longer). Texts are made of the same
concepts in every language (``bench.vocabulary``), drawn with a Zipf-like frequency, so a common
word matches most documents, as "security" does on the real site.

``LANDMARKS`` are articles whose title is exactly a known query: searching for one must return
it first, whatever the number of other matches (see ``landmark_queries``).
"""

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backends

from articles.models import ArticleAuthor, ArticleIndexPage, ArticleKind, ArticlePage, ArticlePageTag
from events.choices import EventFormat, EventStatus
from events.models import EventIndexPage, EventOrganiser, EventPage, EventPageTag
from hub.migration_pages import DIGITS, STEP_LENGTH
from hub.models import Topic
from partners.choices import PartnerType
from partners.models import PartnerIndexPage, PartnerPage, PartnerPageTag, Person

from .vocabulary import CITIES, CONCEPTS, FILLER, LANGUAGES, ZONES

SEED = 14
BATCH = 2_000
# Concept indexes of the landmark articles' titles (and so of their queries): one to three common
# or rare concepts. No other generated title contains all the concepts of a landmark.
LANDMARKS = [
    (0,),  # security: matches nearly every document
    (1, 2),  # camera firmware
    (3, 4),
    (6, 24),
    (7, 22),
    (9, 10),
    (11, 12),
    (13, 14),
    (15, 16, 21),
    (18, 19),
    (25, 26),
    (27, 28),
    (31, 32),
    (35, 36, 37),
    (44, 45),
    (49, 50, 51),
    (52,),
    (59, 60),
    (76, 77, 78),
    (81, 82),
]
# Zipf-like frequencies: the first concepts are the most common.
WEIGHTS = [1 / (rank + 1) ** 0.9 for rank in range(len(CONCEPTS))]


def landmark_queries(language):
    """``[(query, landmark slug)]`` for ``language``: the query is the landmark's title words."""
    column = LANGUAGES.index(language)
    return [
        (" ".join(CONCEPTS[index][column] for index in concepts), landmark_slug(n))
        for n, concepts in enumerate(LANDMARKS)
    ]


def landmark_slug(n):
    return f"landmark-{n}"


def _step(number):
    text = ""
    while number:
        number, digit = divmod(number, len(DIGITS))
        text = DIGITS[digit] + text
    return text.rjust(STEP_LENGTH, "0")


class Text:
    """Sentences drawn from the concepts, rendered identically in every language."""

    def __init__(self, rng):
        self.rng = rng

    def concepts(self, count):
        return self.rng.choices(range(len(CONCEPTS)), weights=WEIGHTS, k=count)

    def sentence(self):
        """A sentence as a list of tokens: concept indexes (int) and filler indexes (str)."""
        tokens = []
        for concept in self.concepts(self.rng.randint(6, 11)):
            tokens.append(concept)
            if self.rng.random() < 0.45:
                tokens.append(str(self.rng.randrange(len(FILLER["en"]))))
        return tokens

    def paragraphs(self, low, high):
        return [[self.sentence() for _ in range(self.rng.randint(3, 5))] for _ in range(self.rng.randint(low, high))]

    @staticmethod
    def render_sentence(tokens, language):
        column = LANGUAGES.index(language)
        text = " ".join(CONCEPTS[t][column] if isinstance(t, int) else FILLER[language][int(t)] for t in tokens)
        return text[:1].upper() + text[1:] + "."

    @classmethod
    def render(cls, paragraphs, language):
        """Plain text of ``paragraphs``."""
        return " ".join(" ".join(cls.render_sentence(s, language) for s in paragraph) for paragraph in paragraphs)

    @classmethod
    def stream(cls, paragraphs, language):
        """A StreamField value: one paragraph block per paragraph."""
        return [
            {
                "type": "paragraph",
                "value": "<p>" + " ".join(cls.render_sentence(s, language) for s in paragraph) + "</p>",
                "id": str(uuid.uuid4()),
            }
            for paragraph in paragraphs
        ]

    @staticmethod
    def title(concepts, language):
        column = LANGUAGES.index(language)
        text = " ".join(CONCEPTS[c][column] for c in concepts)
        return text[:1].upper() + text[1:]


class Section:
    """One section page (an index) in every language, and the next free path under each."""

    def __init__(self, model):
        self.pages = {}
        for page in model.objects.filter(alias_of__isnull=True).select_related("locale"):
            self.pages[page.locale.language_code] = page
        missing = [code for code in LANGUAGES if code not in self.pages]
        if missing:
            raise RuntimeError(f"{model.__name__} has no page in {missing}: run migrate first.")
        self.next_number = {}
        for code, page in self.pages.items():
            last = (
                Page.objects.filter(path__startswith=page.path, depth=page.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            self.next_number[code] = int(last[-STEP_LENGTH:], len(DIGITS)) + 1 if last else 1


def insert_pages(model, section, rows, now):
    """Insert ``rows`` (``[(language, fields)]``) as live ``model`` pages under ``section``; return them.

    Two bulk inserts per batch: the ``wagtailcore_page`` rows, then the page type's own rows with
    the new primary keys.
    """
    content_type = ContentType.objects.get_for_model(model)
    locales = {locale.language_code: locale.pk for locale in Locale.objects.all()}
    page_field_names = {field.attname for field in Page._meta.concrete_fields}
    own_fields = list(model._meta.local_concrete_fields)
    created = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        pages = []
        for language, fields in batch:
            published = fields.pop("published", None) or now
            parent = section.pages[language]
            number = section.next_number[language]
            section.next_number[language] += 1
            page_fields = {name: value for name, value in fields.items() if name in page_field_names}
            pages.append(
                Page(
                    **page_fields,
                    content_type=content_type,
                    path=parent.path + _step(number),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{fields['slug']}/",
                    locale_id=locales[language],
                    draft_title=fields["title"],
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                )
            )
        Page.objects.bulk_create(pages)
        specific = []
        for page, (_language, fields) in zip(pages, batch, strict=True):
            instance = model(**{name: value for name, value in fields.items() if name not in page_field_names})
            for name in page_field_names:
                setattr(instance, name, getattr(page, name))
            instance.page_ptr_id = page.pk
            specific.append(instance)
        # bulk_create refuses multi-table inheritance; the page rows exist, so insert the child rows only.
        model._base_manager._insert(specific, fields=own_fields, using=connection.alias)
        created.extend(specific)
    for language, parent in section.pages.items():
        count = sum(1 for row_language, _fields in rows if row_language == language)
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
    return created


class Generator:
    """Builds the rows; ``run`` inserts them in one transaction."""

    def __init__(self, articles, events, partners, people, seed, log):
        self.counts = {"articles": articles, "events": events, "partners": partners, "people": people}
        self.rng = random.Random(seed)  # noqa: S311 - reproducible content, not secrets
        self.text = Text(self.rng)
        self.log = log
        self.now = timezone.now()
        # Single-word landmarks keep their word out of every other title; longer ones their combination.
        self.forbidden_titles = [set(concepts) for concepts in LANDMARKS]

    def title_concepts(self):
        """3–6 distinct concepts that never contain all the concepts of a landmark title."""
        while True:
            concepts = list(dict.fromkeys(self.text.concepts(self.rng.randint(3, 6))))
            chosen = set(concepts)
            if len(concepts) >= 3 and not any(landmark <= chosen for landmark in self.forbidden_titles):
                return concepts

    def people(self):
        english = Locale.objects.get(language_code=LANGUAGES[0])
        people = [
            Person(
                name=f"{self.rng.choice(['Ana', 'Omar', 'Claire', 'Luis', 'Noor', 'Jean', 'Sara', 'Ravi'])} "
                f"{self.rng.choice(['García', 'Haddad', 'Martin', 'Rossi', 'Khan', 'Dubois', 'Silva'])} {n}",
                role="Researcher",
                locale=english,
                translation_key=uuid.uuid4(),
                sort_order=1000 + n,
            )
            for n in range(self.counts["people"])
        ]
        return Person.objects.bulk_create(people)

    def partner_rows(self):
        types = [value for value in PartnerType.values if value != PartnerType.SUPPORTING]
        countries = ["ES", "FR", "AE", "CO", "MA", "CA", "PE", "TN", "CH", "JO", "EC", "QA", "GB", "MX"]
        rows = []
        for n in range(self.counts["partners"]):
            concepts = self.title_concepts()[:3]
            paragraphs = self.text.paragraphs(1, 2)
            key = uuid.uuid4()
            slug = f"{slugify(Text.title(concepts, 'en'))}-partner-{n}"
            partner_type = types[n % len(types)]
            for language in LANGUAGES:
                rows.append(
                    (
                        language,
                        {
                            "title": f"{Text.title(concepts, language)} {n}",
                            "slug": slug,
                            "translation_key": key,
                            "partner_type": partner_type,
                            "country": countries[n % len(countries)],
                            "website": f"https://partner-{n}.example.org/",
                            "summary": Text.render(paragraphs[:1], language)[:300],
                            "body": Text.stream(paragraphs, language),
                        },
                    )
                )
        return rows

    def article_rows(self):
        kinds = list(ArticleKind.values)
        first_day = date(2015, 1, 1)
        days = (self.now.date() - first_day).days
        rows = []
        for n in range(self.counts["articles"]):
            landmark = n < len(LANDMARKS)
            concepts = list(LANDMARKS[n]) if landmark else self.title_concepts()
            paragraphs = self.text.paragraphs(1, 3)
            if landmark:
                # The landmark's own words run through its text, as they would in a real article on them.
                paragraphs[0].insert(0, list(concepts) * 2)
            summary = self.text.paragraphs(1, 1)[0][:2]
            key = uuid.uuid4()
            slug = landmark_slug(n) if landmark else f"{slugify(Text.title(concepts, 'en'))[:60]}-{n}"
            day = first_day + timedelta(days=self.rng.randrange(days))
            published = datetime.combine(day, time(9), tzinfo=UTC)
            for language in LANGUAGES:
                rows.append(
                    (
                        language,
                        {
                            "title": Text.title(concepts, language),
                            "slug": slug,
                            "translation_key": key,
                            "kind": kinds[n % len(kinds)],
                            "date": day,
                            "summary": " ".join(Text.render_sentence(s, language) for s in summary),
                            "body": Text.stream(paragraphs, language),
                            "published": published,
                        },
                    )
                )
        return rows

    def event_rows(self):
        formats = list(EventFormat.values)
        rows = []
        # Most events are in the past, as on any site that has run for years; a tenth are upcoming.
        for n in range(self.counts["events"]):
            concepts = self.title_concepts()[:4]
            paragraphs = self.text.paragraphs(1, 2)
            key = uuid.uuid4()
            upcoming = n % 10 == 0
            offset = self.rng.randrange(1, 365) if upcoming else -self.rng.randrange(1, 365 * 8)
            start = (self.now + timedelta(days=offset)).replace(minute=0, second=0, microsecond=0)
            city = self.rng.choice(CITIES)
            slug = f"{slugify(Text.title(concepts, 'en'))[:60]}-event-{n}"
            for language in LANGUAGES:
                rows.append(
                    (
                        language,
                        {
                            "title": f"{Text.title(concepts, language)} {city}",
                            "slug": slug,
                            "translation_key": key,
                            "start": start,
                            "end": start + timedelta(hours=self.rng.choice([2, 3, 8, 32])),
                            "timezone": self.rng.choice(ZONES),
                            "event_format": formats[n % len(formats)],
                            "status": EventStatus.SCHEDULED,
                            "venue_name": f"{city} Convention Centre",
                            "city": city,
                            "summary": Text.render(paragraphs[:1], language)[:300],
                            "body": Text.stream(paragraphs, language),
                            "agenda": [],
                            "published": start - timedelta(days=60),
                        },
                    )
                )
        return rows

    def tags(self, through, pages, topics, per_page=2):
        """Topics for each page, the same for every translation (tags are synchronised)."""
        by_key = {}
        rows = []
        for page in pages:
            chosen = by_key.setdefault(page.translation_key, self.rng.sample(topics, min(per_page, len(topics))))
            rows += [through(content_object_id=page.pk, tag_id=topic.pk) for topic in chosen]
        through.objects.bulk_create(rows, batch_size=BATCH)

    def run(self):
        topics = list(Topic.objects.all())
        if len(topics) < 2:
            topics += [Topic.objects.create(name=f"Generated topic {n}", slug=f"generated-{n}") for n in range(6)]
        with transaction.atomic():
            people = self.people()
            self.log(f"{len(people)} people")

            partners = insert_pages(PartnerPage, Section(PartnerIndexPage), self.partner_rows(), self.now)
            self.tags(PartnerPageTag, partners, topics)
            self.log(f"{len(partners)} partner pages")

            articles = insert_pages(ArticlePage, Section(ArticleIndexPage), self.article_rows(), self.now)
            self.tags(ArticlePageTag, articles, topics)
            authors = {}
            rows = []
            for article in articles:
                chosen = authors.setdefault(article.translation_key, self.rng.sample(people, self.rng.randint(1, 3)))
                rows += [
                    ArticleAuthor(page_id=article.pk, person=person, sort_order=k) for k, person in enumerate(chosen)
                ]
            ArticleAuthor.objects.bulk_create(rows, batch_size=BATCH)
            self.log(f"{len(articles)} article pages")

            events = insert_pages(EventPage, Section(EventIndexPage), self.event_rows(), self.now)
            self.tags(EventPageTag, events, topics)
            english_partners = [partner for partner in partners if partner.locale_id == partners[0].locale_id]
            organisers = {}
            rows = []
            for event in events:
                partner = organisers.setdefault(event.translation_key, self.rng.choice(english_partners))
                rows.append(EventOrganiser(page_id=event.pk, partner_id=partner.pk, sort_order=0))
            EventOrganiser.objects.bulk_create(rows, batch_size=BATCH)
            self.log(f"{len(events)} event pages")

        for model, pages in ((PartnerPage, partners), (ArticlePage, articles), (EventPage, events)):
            index_pages(model, [page.pk for page in pages])
            self.log(f"indexed {len(pages)} {model._meta.verbose_name_plural}")
        return {"people": len(people), "partners": len(partners), "articles": len(articles), "events": len(events)}


def index_pages(model, pks):
    """Add the pages to every search backend, a batch at a time (what the task worker does one by one)."""
    for backend in get_search_backends():
        for start in range(0, len(pks), BATCH):
            batch = model.objects.filter(pk__in=pks[start : start + BATCH]).select_related("locale").order_by("pk")
            backend.add_bulk(model, list(batch))


def generate(articles=10_000, events=1_000, partners=500, people=120, seed=SEED, log=print):
    """Add the generated content (see the module docstring); returns the numbers of each kind created."""
    return Generator(articles, events, partners, people, seed, log).run()
