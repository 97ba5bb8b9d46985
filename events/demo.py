"""Demo events: dates computed from the day the command runs, in five time zones, four languages.

Speakers and organisers are looked up by name among the partners' demo content; the few that
are missing (when this app's demo runs alone) are created in the default locale.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from hub.demo import add_child_page, default_locale, get_or_fill_child, get_topic, is_translated, translate
from partners.models import PartnerIndexPage, PartnerPage, PartnerType, Person

from .models import EventFormat, EventIndexPage, EventPage, EventStatus
from .timezones import local_to_utc

INDEX_TITLE = "Events"
INDEX_INTRO = (
    "Workshops, conferences and webinars where cities, researchers and vendors meet to make smart cities safer."
)

PEOPLE = {
    "Cesar Cerrudo": "CTO, IOActive Labs",
    "Amin Hasbini": "Head of Research Center, Kaspersky",
    "Alan Seow": "Cyber security practitioner",
    "David Jordan": "CISO, Arlington County",
    "Tarun Gupta": "Crisis management section head",
    "Jim Reavis": "CEO, Cloud Security Alliance",
}

# (name to look up, type, country) for organisers.
ORGANISATIONS = {
    "IOActive": (PartnerType.SECURITY_RESEARCH, "US"),
    "Kaspersky": (PartnerType.SECURITY_VENDOR, "GB"),
    "Cloud Security Alliance": (PartnerType.SUPPORTING, "US"),
}

TOPICS = {
    "iot": "Internet of things",
    "transport": "Public transport",
    "incident-response": "Incident response",
    "procurement": "Procurement",
    "lighting": "Smart lighting",
}

# Each event: days from today (in its zone), local start and end times, and optionally days it lasts.
EVENTS = [
    {
        "slug": "annual-conference",
        "title": "Securing Smart Cities annual conference",
        "summary": "Two days of talks and hands-on sessions on building security into city technology, from procurement to operations.",
        "timezone": "Europe/Madrid",
        "days": 45,
        "start": time(9, 0),
        "end": time(17, 30),
        "length": 1,
        "event_format": EventFormat.HYBRID,
        "venue_name": "Conference centre",
        "address": "Paseo de la Castellana 99",
        "city": "Madrid",
        "country": "Spain",
        "online_url": "https://events.securingsmartcities.org/live/annual-conference",
        "registration_url": "https://events.securingsmartcities.org/register/annual-conference",
        "deadline_days": 40,
        "speakers": ["Cesar Cerrudo", "Amin Hasbini", "David Jordan"],
        "organisers": ["IOActive", "Kaspersky"],
        "topics": ["iot", "procurement"],
        "body": "The conference brings together city officials, security researchers and technology vendors to compare notes on what works.",
        "agenda": [
            (0, time(9, 0), "Welcome and opening keynote", "Cesar Cerrudo"),
            (0, time(11, 0), "Attacking and defending traffic control systems", "Amin Hasbini"),
            (0, time(15, 0), "Panel: what cities should ask their suppliers", "David Jordan"),
            (1, time(9, 30), "Hands-on lab: securing IoT sensor networks", ""),
            (1, time(16, 30), "Closing remarks", ""),
        ],
        "translated": True,
    },
    {
        "slug": "webinar-traffic-threat-modelling",
        "title": "Webinar: threat modelling for traffic control systems",
        "summary": "A practical walk-through of threat modelling applied to traffic lights, sensors and their control centres.",
        "timezone": "America/New_York",
        "days": 10,
        "start": time(11, 0),
        "end": time(12, 30),
        "event_format": EventFormat.ONLINE,
        "online_url": "https://events.securingsmartcities.org/live/threat-modelling",
        "registration_url": "https://events.securingsmartcities.org/register/threat-modelling",
        "speakers": ["David Jordan"],
        "organisers": ["Cloud Security Alliance"],
        "topics": ["transport"],
        "body": "Bring a system you know: we will model its threats together and rank them by impact on citizens.",
        "translated": True,
    },
    {
        "slug": "workshop-secure-procurement-doha",
        "title": "Workshop: buying secure connected equipment",
        "summary": "How city procurement teams can write security requirements that vendors can meet and auditors can check.",
        "timezone": "Asia/Qatar",
        "days": 20,
        "start": time(9, 30),
        "end": time(13, 0),
        "event_format": EventFormat.IN_PERSON,
        "venue_name": "Innovation hub",
        "address": "West Bay",
        "city": "Doha",
        "country": "Qatar",
        "registration_url": "https://events.securingsmartcities.org/register/procurement-doha",
        "deadline_days": 18,
        "speakers": ["Tarun Gupta"],
        "organisers": [],
        "topics": ["procurement"],
        "body": "Participants leave with a checklist of security clauses adapted to their own tenders.",
        "translated": True,
    },
    {
        "slug": "roundtable-transport-ticketing",
        "title": "Roundtable: securing public transport ticketing",
        "summary": "Operators and researchers discuss contactless ticketing, fare systems and the data they hold.",
        "timezone": "Asia/Singapore",
        "days": 30,
        "start": time(14, 0),
        "end": time(17, 0),
        "event_format": EventFormat.IN_PERSON,
        "status": EventStatus.POSTPONED,
        "venue_name": "Civic centre",
        "address": "1 Raffles Place",
        "city": "Singapore",
        "country": "Singapore",
        "speakers": ["Alan Seow"],
        "organisers": [],
        "topics": ["transport"],
    },
    {
        "slug": "disclosure-clinic",
        "title": "Vulnerability disclosure clinic for cities",
        "summary": "Drop-in advice for cities setting up a way for researchers to report security problems.",
        "timezone": "America/New_York",
        "days": 60,
        "start": time(10, 0),
        "end": time(16, 0),
        "event_format": EventFormat.HYBRID,
        "status": EventStatus.CANCELLED,
        "venue_name": "Public library",
        "address": "1015 N Quincy St",
        "city": "Arlington",
        "country": "United States",
        "online_url": "https://events.securingsmartcities.org/live/disclosure-clinic",
        "speakers": ["Jim Reavis"],
        "organisers": ["Cloud Security Alliance"],
        "topics": ["incident-response"],
    },
    {
        "slug": "briefing-city-networks",
        "title": "Briefing: resilience of city networks",
        "summary": "A short online briefing on recent incidents affecting municipal networks and what they teach us.",
        "timezone": "UTC",
        "days": 5,
        "start": time(15, 0),
        "end": time(16, 0),
        "event_format": EventFormat.ONLINE,
        "online_url": "https://events.securingsmartcities.org/live/briefing",
        "speakers": ["Amin Hasbini"],
        "organisers": ["Kaspersky"],
        "topics": ["incident-response"],
    },
    {
        "slug": "webinar-smart-lighting-lessons",
        "title": "Webinar: lessons from smart lighting deployments",
        "summary": "What went wrong, and right, when cities connected their street lights.",
        "timezone": "UTC",
        "days": -14,
        "start": time(14, 0),
        "end": time(15, 0),
        "event_format": EventFormat.ONLINE,
        "online_url": "https://events.securingsmartcities.org/live/lighting",
        "speakers": ["Cesar Cerrudo"],
        "organisers": ["IOActive"],
        "topics": ["lighting", "iot"],
    },
    {
        "slug": "workshop-water-incident-response",
        "title": "Workshop: incident response for water utilities",
        "summary": "A tabletop exercise on a simulated attack against a city's water treatment controls.",
        "timezone": "Europe/Madrid",
        "days": -40,
        "start": time(10, 0),
        "end": time(14, 0),
        "event_format": EventFormat.IN_PERSON,
        "venue_name": "City hall, room 3",
        "address": "Plaza de la Villa 5",
        "city": "Madrid",
        "country": "Spain",
        "speakers": ["Alan Seow"],
        "organisers": [],
        "topics": ["incident-response"],
    },
    {
        "slug": "meetup-sensors-privacy",
        "title": "Community meetup: sensors, privacy and trust",
        "summary": "An informal online meetup on collecting city data people can trust.",
        "timezone": "Asia/Singapore",
        "days": -3,
        "start": time(19, 0),
        "end": time(20, 30),
        "event_format": EventFormat.ONLINE,
        "online_url": "https://events.securingsmartcities.org/live/meetup",
        "speakers": [],
        "organisers": [],
        "topics": ["iot"],
    },
]

STRINGS = {
    INDEX_TITLE: {"es": "Eventos", "fr": "Événements", "ar": "الفعاليات"},
    INDEX_INTRO: {
        "es": "Talleres, conferencias y seminarios web en los que ciudades, investigadores y proveedores se reúnen para hacer más seguras las ciudades inteligentes.",
        "fr": "Ateliers, conférences et webinaires où villes, chercheurs et fournisseurs se retrouvent pour rendre les villes intelligentes plus sûres.",
        "ar": "ورش عمل ومؤتمرات وندوات عبر الإنترنت تلتقي فيها المدن والباحثون والمورّدون لجعل المدن الذكية أكثر أمانًا.",
    },
    # Annual conference
    "Securing Smart Cities annual conference": {
        "es": "Conferencia anual de Securing Smart Cities",
        "fr": "Conférence annuelle de Securing Smart Cities",
        "ar": "المؤتمر السنوي لمبادرة Securing Smart Cities",
    },
    "Two days of talks and hands-on sessions on building security into city technology, from procurement to operations.": {
        "es": "Dos días de charlas y sesiones prácticas sobre cómo integrar la seguridad en la tecnología urbana, de la compra a la operación.",
        "fr": "Deux jours de conférences et d’ateliers pratiques pour intégrer la sécurité aux technologies urbaines, de l’achat à l’exploitation.",
        "ar": "يومان من المحاضرات والجلسات التطبيقية حول إدماج الأمن في تقنيات المدن، من الشراء إلى التشغيل.",
    },
    "Conference centre": {"es": "Centro de congresos", "fr": "Centre de congrès", "ar": "مركز المؤتمرات"},
    "Madrid": {"es": "Madrid", "fr": "Madrid", "ar": "مدريد"},
    "Spain": {"es": "España", "fr": "Espagne", "ar": "إسبانيا"},
    "The conference brings together city officials, security researchers and technology vendors to compare notes on what works.": {
        "es": "La conferencia reúne a responsables municipales, investigadores de seguridad y proveedores de tecnología para compartir lo que funciona.",
        "fr": "La conférence réunit élus et agents municipaux, chercheurs en sécurité et fournisseurs de technologies pour comparer ce qui fonctionne.",
        "ar": "يجمع المؤتمر مسؤولي المدن وباحثي الأمن ومورّدي التقنية لتبادل الخبرات حول ما ينجح فعلًا.",
    },
    "Welcome and opening keynote": {
        "es": "Bienvenida y conferencia inaugural",
        "fr": "Accueil et conférence d’ouverture",
        "ar": "الترحيب والكلمة الافتتاحية",
    },
    "Attacking and defending traffic control systems": {
        "es": "Atacar y defender los sistemas de control del tráfico",
        "fr": "Attaquer et défendre les systèmes de régulation du trafic",
        "ar": "مهاجمة أنظمة التحكم في المرور والدفاع عنها",
    },
    "Panel: what cities should ask their suppliers": {
        "es": "Mesa redonda: qué deben preguntar las ciudades a sus proveedores",
        "fr": "Table ronde : ce que les villes doivent demander à leurs fournisseurs",
        "ar": "حلقة نقاش: ما الذي ينبغي أن تسأله المدن لمورّديها",
    },
    "Hands-on lab: securing IoT sensor networks": {
        "es": "Laboratorio práctico: proteger redes de sensores IoT",
        "fr": "Atelier pratique : sécuriser les réseaux de capteurs IoT",
        "ar": "مختبر تطبيقي: تأمين شبكات مستشعرات إنترنت الأشياء",
    },
    "Closing remarks": {"es": "Clausura", "fr": "Clôture", "ar": "الكلمة الختامية"},
    # Webinar
    "Webinar: threat modelling for traffic control systems": {
        "es": "Seminario web: modelado de amenazas para sistemas de control del tráfico",
        "fr": "Webinaire : modélisation des menaces pour les systèmes de régulation du trafic",
        "ar": "ندوة عبر الإنترنت: نمذجة التهديدات لأنظمة التحكم في المرور",
    },
    "A practical walk-through of threat modelling applied to traffic lights, sensors and their control centres.": {
        "es": "Un recorrido práctico por el modelado de amenazas aplicado a semáforos, sensores y sus centros de control.",
        "fr": "Une mise en pratique de la modélisation des menaces appliquée aux feux, aux capteurs et à leurs centres de contrôle.",
        "ar": "جولة عملية في نمذجة التهديدات مطبّقة على إشارات المرور والمستشعرات ومراكز التحكم فيها.",
    },
    "Bring a system you know: we will model its threats together and rank them by impact on citizens.": {
        "es": "Traiga un sistema que conozca: modelaremos juntos sus amenazas y las ordenaremos según su impacto en la ciudadanía.",
        "fr": "Venez avec un système que vous connaissez : nous modéliserons ensemble ses menaces et les classerons selon leur impact sur les habitants.",
        "ar": "أحضر نظامًا تعرفه: سننمذج تهديداته معًا ونرتّبها حسب أثرها على السكان.",
    },
    # Workshop in Doha
    "Workshop: buying secure connected equipment": {
        "es": "Taller: comprar equipos conectados seguros",
        "fr": "Atelier : acheter des équipements connectés sûrs",
        "ar": "ورشة عمل: شراء معدات متصلة آمنة",
    },
    "How city procurement teams can write security requirements that vendors can meet and auditors can check.": {
        "es": "Cómo pueden los equipos de compras municipales redactar requisitos de seguridad que los proveedores puedan cumplir y los auditores verificar.",
        "fr": "Comment les équipes d’achat des villes peuvent rédiger des exigences de sécurité que les fournisseurs peuvent tenir et les auditeurs vérifier.",
        "ar": "كيف تكتب فرق المشتريات في المدن متطلبات أمنية يستطيع المورّدون الوفاء بها ويستطيع المدققون التحقق منها.",
    },
    "Innovation hub": {"es": "Centro de innovación", "fr": "Pôle d’innovation", "ar": "مركز الابتكار"},
    "West Bay": {"es": "West Bay", "fr": "West Bay", "ar": "الخليج الغربي"},
    "Doha": {"es": "Doha", "fr": "Doha", "ar": "الدوحة"},
    "Qatar": {"es": "Catar", "fr": "Qatar", "ar": "قطر"},
    "Participants leave with a checklist of security clauses adapted to their own tenders.": {
        "es": "Los participantes se llevan una lista de cláusulas de seguridad adaptadas a sus propias licitaciones.",
        "fr": "Les participants repartent avec une liste de clauses de sécurité adaptées à leurs propres appels d’offres.",
        "ar": "يغادر المشاركون ومعهم قائمة بالبنود الأمنية المكيّفة لمناقصاتهم.",
    },
}


def _person(name, locale):
    """The Person called ``name`` in the default locale, created when missing."""
    person = Person.objects.filter(locale=locale, name=name).first()
    if person is None:
        person = Person.objects.create(locale=locale, name=name, role=PEOPLE.get(name, ""))
    return person


def _organisation(name, home):
    """A live PartnerPage whose title contains ``name``, created (with the directory) when missing."""
    partner = PartnerPage.objects.filter(locale=home.locale, title__icontains=name).first()
    if partner is not None:
        return partner
    directory = PartnerIndexPage.objects.filter(locale=home.locale).first()
    if directory is None:
        directory = add_child_page(home, PartnerIndexPage(title="Partners", slug="partners", show_in_menus=True))
    partner_type, country = ORGANISATIONS[name]
    slug = name.lower().replace(" ", "-")
    return add_child_page(directory, PartnerPage(title=name, slug=slug, partner_type=partner_type, country=country))


def _paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


def _event(spec, today, home):
    """An unsaved EventPage (and its speakers and organisers) from a demo spec."""
    zone = ZoneInfo(spec["timezone"])
    day = today(zone) + timedelta(days=spec["days"])
    last_day = day + timedelta(days=spec.get("length", 0))
    start = local_to_utc(datetime.combine(day, spec["start"]), spec["timezone"])
    end = local_to_utc(datetime.combine(last_day, spec["end"]), spec["timezone"])
    deadline = None
    if spec.get("deadline_days") is not None:
        deadline = local_to_utc(
            datetime.combine(today(zone) + timedelta(days=spec["deadline_days"]), time(23, 59)), spec["timezone"]
        )
    page = EventPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        timezone=spec["timezone"],
        start=start,
        end=end,
        event_format=spec["event_format"],
        status=spec.get("status", EventStatus.SCHEDULED),
        venue_name=spec.get("venue_name", ""),
        address=spec.get("address", ""),
        city=spec.get("city", ""),
        country=spec.get("country", ""),
        online_url=spec.get("online_url", ""),
        registration_url=spec.get("registration_url", ""),
        registration_deadline=deadline,
        body=[_paragraph(spec["body"])] if spec.get("body") else [],
        agenda=[
            (
                "session",
                {
                    "day": day + timedelta(days=offset),
                    "start_time": at,
                    "title": title,
                    "speaker_names": who,
                    "people": [],
                },
            )
            for offset, at, title, who in spec.get("agenda", [])
        ],
    )
    for name in spec["speakers"]:
        page.speakers.add(page.speakers.model(person=_person(name, home.locale)))
    for name in spec["organisers"]:
        page.organisers.add(page.organisers.model(partner=_organisation(name, home)))
    for slug in spec["topics"]:
        page.tags.add(get_topic(TOPICS[slug]))
    return page


def load(out):
    """Create the events index and the demo events, and translate some; return how many objects were made."""
    from home.models import HomePage

    locale = default_locale()
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        return 0
    created = 0
    index, index_changed = get_or_fill_child(
        home, EventIndexPage, "events", title=INDEX_TITLE, introduction=INDEX_INTRO, show_in_menus=True
    )
    created += index_changed

    def today(zone):
        return timezone.now().astimezone(zone).date()

    to_translate = [index]
    for spec in EVENTS:
        event = EventPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if event is None:
            event = add_child_page(index, _event(spec, today, home))
            created += 1
        if spec.get("translated"):
            to_translate.append(event)
    for page in to_translate:
        if (page is index and index_changed) or not is_translated(page, "es"):
            created += translate(page, STRINGS)
    return created
