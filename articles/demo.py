"""Demo articles: research, news and guidelines, with topics, authors, PDF downloads and translations."""

import datetime

from django.apps import apps
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection

from home.models import HomePage
from hub.demo import add_child_page, default_locale, get_or_fill_child, get_topic, is_translated, translate

from .models import ArticleAuthor, ArticleDownload, ArticleIndexPage, ArticleKind, ArticlePage, ArticlePageTag

TOPICS = {
    "governance": "Governance",
    "iot": "Internet of things",
    "critical-infrastructure": "Critical infrastructure",
    "incident-response": "Incident response",
    "procurement": "Procurement",
}


def pdf_bytes(title, line):
    """A minimal valid PDF 1.4 with one page showing ``title`` and ``line`` (ASCII), xref offsets computed."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = (
        f"BT /F1 16 Tf 72 760 Td ({escape(title)}) Tj ET\nBT /F1 11 Tf 72 730 Td ({escape(line)}) Tj ET\n"
    ).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _p(text):
    return ("paragraph", f"<p>{text}</p>")


ARTICLES = [
    {
        "slug": "cyber-security-guidelines-for-smart-city-technology-adoption",
        "title": "Cyber Security Guidelines for Smart City Technology Adoption",
        "kind": ArticleKind.GUIDELINE,
        "date": datetime.date(2025, 3, 10),
        "summary": "What a city should ask of every smart technology before it buys and deploys it.",
        "body": [
            _p(
                "Cities buy sensors, platforms and services faster than they can check them. These guidelines give procurement and IT teams a short list of security questions to settle before signing."
            ),
            ("heading", {"text": "Before you buy", "level": "h2"}),
            _p(
                "Ask for encryption of data in transit and at rest, strong authentication, secure updates and a published way to report vulnerabilities."
            ),
            ("heading", {"text": "After deployment", "level": "h2"}),
            _p(
                "Keep an inventory, monitor what the devices do, and test them regularly. Plan for the day a supplier stops supporting a product."
            ),
        ],
        "topics": ["procurement", "iot", "governance"],
        "authors": ["Cesar Cerrudo", "Amin Hasbini", "Jim Reavis"],
        "pdf": (
            "Cyber Security Guidelines for Smart City Technology Adoption",
            "Questions to settle before a city adopts a smart technology.",
        ),
        "download_title": "Guidelines (PDF)",
    },
    {
        "slug": "role-of-information-security-in-a-smart-city-department",
        "title": "The Role of Information Security in a Smart City Department",
        "kind": ArticleKind.GUIDELINE,
        "date": datetime.date(2025, 2, 3),
        "summary": "How a city's smart city department can organise information security as a permanent function.",
        "body": [
            _p(
                "A smart city department runs systems that reach into streets, buildings and utilities. Security cannot be an afterthought handed to a separate office."
            ),
            ("heading", {"text": "A security function with authority", "level": "h2"}),
            _p(
                "Give a named security lead a seat in project decisions, a budget and the right to stop a deployment that is not safe."
            ),
            _p("Share incidents and lessons with other cities: attackers already share theirs."),
        ],
        "topics": ["governance", "incident-response"],
        "authors": ["David Jordan", "Alan Seow"],
        "pdf": (
            "The Role of Information Security in a Smart City Department",
            "Organising security as a permanent function of the department.",
        ),
        "download_title": "Guidance (PDF)",
    },
    {
        "slug": "securing-street-lighting-networks",
        "title": "Securing street lighting networks",
        "kind": ArticleKind.RESEARCH,
        "date": datetime.date(2025, 1, 20),
        "summary": "Connected street lights share radio networks with other city systems; we looked at how they are protected.",
        "body": [
            _p(
                "We reviewed the management interfaces and radio protocols of connected street lighting and found weak default credentials and unsigned firmware updates."
            )
        ],
        "topics": ["iot", "critical-infrastructure"],
        "authors": ["Vasilios Hioureas"],
    },
    {
        "slug": "traffic-sensor-weaknesses",
        "title": "Weaknesses in traffic sensors",
        "kind": ArticleKind.RESEARCH,
        "date": datetime.date(2024, 11, 5),
        "summary": "Wireless vehicle detection sensors could be made to report false traffic data.",
        "body": [
            _p(
                "Sensors embedded in roads accepted unauthenticated commands over the air. We describe the problem and the fixes vendors have since shipped."
            )
        ],
        "topics": ["iot", "critical-infrastructure"],
        "authors": ["Cesar Cerrudo"],
    },
    {
        "slug": "emergency-alert-systems-research",
        "title": "How resilient are emergency alert systems?",
        "kind": ArticleKind.RESEARCH,
        "date": datetime.date(2024, 9, 16),
        "summary": "Outdoor sirens and alert platforms are rarely tested against attack; we propose a test plan.",
        "body": [
            _p(
                "Emergency alert systems must work on the worst day. We outline the attacks they should withstand and how to test them safely."
            )
        ],
        "topics": ["incident-response", "critical-infrastructure"],
        "authors": ["Chris Valasek", "Stephen A. Ridley"],
    },
    {
        "slug": "new-partners-join-the-initiative",
        "title": "New partners join the initiative",
        "kind": ArticleKind.NEWS,
        "date": datetime.date(2025, 4, 2),
        "summary": "City authorities and security vendors from three continents have joined Securing Smart Cities.",
        "body": [
            _p(
                "We welcome our new partners. Together we will publish more guidance and test more of the technology cities rely on."
            )
        ],
        "topics": ["governance"],
        "authors": ["Giampiero Nanni"],
    },
    {
        "slug": "workshop-on-secure-procurement",
        "title": "Workshop on secure procurement",
        "kind": ArticleKind.NEWS,
        "date": datetime.date(2024, 12, 12),
        "summary": "City buyers and vendors met to agree the security clauses every tender should contain.",
        "body": [_p("The workshop produced a draft set of tender clauses that partners are now reviewing.")],
        "topics": ["procurement"],
        "authors": ["Martin Tom-Petersen", "Simon Tricker"],
    },
    {
        "slug": "coordinated-disclosure-for-cities",
        "title": "Coordinated disclosure for cities",
        "kind": ArticleKind.NEWS,
        "date": datetime.date(2024, 10, 1),
        "summary": "Why every city should publish how researchers can report a security problem to it.",
        "body": [
            _p(
                "A simple disclosure policy tells researchers whom to contact and what to expect, and turns findings into fixes instead of headlines."
            )
        ],
        "topics": ["incident-response", "governance"],
        "authors": ["Chris Rouland"],
    },
]

TRANSLATED = [
    "cyber-security-guidelines-for-smart-city-technology-adoption",
    "role-of-information-security-in-a-smart-city-department",
    "new-partners-join-the-initiative",
]

STRINGS = {
    "Articles": {"es": "Artículos", "fr": "Articles", "ar": "المقالات"},
    "Research, news and guidelines from the initiative and its partners.": {
        "es": "Investigación, noticias y guías de la iniciativa y sus socios.",
        "fr": "Recherches, actualités et guides de l’initiative et de ses partenaires.",
        "ar": "أبحاث وأخبار وإرشادات من المبادرة وشركائها.",
    },
    # Cyber Security Guidelines for Smart City Technology Adoption
    "Cyber Security Guidelines for Smart City Technology Adoption": {
        "es": "Guía de ciberseguridad para la adopción de tecnología en ciudades inteligentes",
        "fr": "Lignes directrices de cybersécurité pour l’adoption des technologies de la ville intelligente",
        "ar": "إرشادات الأمن السيبراني لاعتماد تقنيات المدن الذكية",
    },
    "What a city should ask of every smart technology before it buys and deploys it.": {
        "es": "Lo que una ciudad debe exigir a cada tecnología inteligente antes de comprarla y desplegarla.",
        "fr": "Ce qu’une ville doit exiger de chaque technologie intelligente avant de l’acheter et de la déployer.",
        "ar": "ما ينبغي للمدينة أن تطلبه من كل تقنية ذكية قبل شرائها ونشرها.",
    },
    "Cities buy sensors, platforms and services faster than they can check them. These guidelines give procurement and IT teams a short list of security questions to settle before signing.": {
        "es": "Las ciudades compran sensores, plataformas y servicios más rápido de lo que pueden revisarlos. Esta guía ofrece a los equipos de compras y de TI una breve lista de preguntas de seguridad que resolver antes de firmar.",
        "fr": "Les villes achètent capteurs, plateformes et services plus vite qu’elles ne peuvent les vérifier. Ces lignes directrices donnent aux équipes achats et informatique une courte liste de questions de sécurité à régler avant de signer.",
        "ar": "تشتري المدن أجهزة الاستشعار والمنصات والخدمات أسرع مما تستطيع فحصها. تقدّم هذه الإرشادات لفرق المشتريات وتقنية المعلومات قائمة قصيرة بأسئلة أمنية يجب حسمها قبل التوقيع.",
    },
    "Before you buy": {"es": "Antes de comprar", "fr": "Avant d’acheter", "ar": "قبل الشراء"},
    "Ask for encryption of data in transit and at rest, strong authentication, secure updates and a published way to report vulnerabilities.": {
        "es": "Exija cifrado de los datos en tránsito y en reposo, autenticación robusta, actualizaciones seguras y un canal público para comunicar vulnerabilidades.",
        "fr": "Exigez le chiffrement des données en transit et au repos, une authentification forte, des mises à jour sécurisées et un moyen public de signaler les vulnérabilités.",
        "ar": "اطلب تشفير البيانات أثناء النقل وعند التخزين، ومصادقة قوية، وتحديثات آمنة، وطريقة معلنة للإبلاغ عن الثغرات.",
    },
    "After deployment": {"es": "Después del despliegue", "fr": "Après le déploiement", "ar": "بعد النشر"},
    "Keep an inventory, monitor what the devices do, and test them regularly. Plan for the day a supplier stops supporting a product.": {
        "es": "Mantenga un inventario, vigile lo que hacen los dispositivos y pruébelos con regularidad. Prevea el día en que un proveedor deje de dar soporte a un producto.",
        "fr": "Tenez un inventaire, surveillez ce que font les appareils et testez-les régulièrement. Prévoyez le jour où un fournisseur cessera de maintenir un produit.",
        "ar": "احتفظ بجرد للأجهزة، وراقب ما تقوم به، واختبرها بانتظام. وخطّط لليوم الذي يتوقف فيه المورّد عن دعم المنتج.",
    },
    "Guidelines (PDF)": {"es": "Guía (PDF)", "fr": "Lignes directrices (PDF)", "ar": "الإرشادات (PDF)"},
    # The Role of Information Security in a Smart City Department
    "The Role of Information Security in a Smart City Department": {
        "es": "El papel de la seguridad de la información en un departamento de ciudad inteligente",
        "fr": "Le rôle de la sécurité de l’information dans un service de ville intelligente",
        "ar": "دور أمن المعلومات في إدارة المدينة الذكية",
    },
    "How a city's smart city department can organise information security as a permanent function.": {
        "es": "Cómo puede el departamento de ciudad inteligente organizar la seguridad de la información como una función permanente.",
        "fr": "Comment le service ville intelligente d’une municipalité peut faire de la sécurité de l’information une fonction permanente.",
        "ar": "كيف يمكن لإدارة المدينة الذكية أن تنظّم أمن المعلومات كوظيفة دائمة.",
    },
    "A smart city department runs systems that reach into streets, buildings and utilities. Security cannot be an afterthought handed to a separate office.": {
        "es": "Un departamento de ciudad inteligente gestiona sistemas que llegan a calles, edificios y servicios públicos. La seguridad no puede ser algo secundario delegado en otra oficina.",
        "fr": "Un service ville intelligente exploite des systèmes qui s’étendent aux rues, aux bâtiments et aux réseaux publics. La sécurité ne peut pas être une réflexion après coup confiée à un autre bureau.",
        "ar": "تدير إدارة المدينة الذكية أنظمة تمتد إلى الشوارع والمباني والمرافق. لا يمكن أن يكون الأمن أمرًا ثانويًا يُترك لمكتب منفصل.",
    },
    "A security function with authority": {
        "es": "Una función de seguridad con autoridad",
        "fr": "Une fonction sécurité dotée d’autorité",
        "ar": "وظيفة أمنية ذات صلاحيات",
    },
    "Give a named security lead a seat in project decisions, a budget and the right to stop a deployment that is not safe.": {
        "es": "Dé a un responsable de seguridad designado un lugar en las decisiones de los proyectos, un presupuesto y el derecho a detener un despliegue que no sea seguro.",
        "fr": "Donnez à un responsable sécurité nommé une place dans les décisions de projet, un budget et le droit d’arrêter un déploiement qui n’est pas sûr.",
        "ar": "امنح مسؤولًا أمنيًا محددًا مقعدًا في قرارات المشاريع وميزانية وصلاحية إيقاف أي نشر غير آمن.",
    },
    "Share incidents and lessons with other cities: attackers already share theirs.": {
        "es": "Comparta incidentes y lecciones con otras ciudades: los atacantes ya comparten las suyas.",
        "fr": "Partagez incidents et enseignements avec d’autres villes : les attaquants partagent déjà les leurs.",
        "ar": "شارك الحوادث والدروس المستفادة مع المدن الأخرى، فالمهاجمون يتبادلون خبراتهم بالفعل.",
    },
    "Guidance (PDF)": {"es": "Guía (PDF)", "fr": "Guide (PDF)", "ar": "الدليل (PDF)"},
    # New partners join the initiative
    "New partners join the initiative": {
        "es": "Nuevos socios se unen a la iniciativa",
        "fr": "De nouveaux partenaires rejoignent l’initiative",
        "ar": "شركاء جدد ينضمون إلى المبادرة",
    },
    "City authorities and security vendors from three continents have joined Securing Smart Cities.": {
        "es": "Autoridades municipales y proveedores de seguridad de tres continentes se han unido a Securing Smart Cities.",
        "fr": "Des autorités municipales et des fournisseurs de sécurité de trois continents ont rejoint Securing Smart Cities.",
        "ar": "انضمت سلطات مدن ومورّدو حلول أمنية من ثلاث قارات إلى Securing Smart Cities.",
    },
    "We welcome our new partners. Together we will publish more guidance and test more of the technology cities rely on.": {
        "es": "Damos la bienvenida a nuestros nuevos socios. Juntos publicaremos más guías y probaremos más tecnologías de las que dependen las ciudades.",
        "fr": "Nous souhaitons la bienvenue à nos nouveaux partenaires. Ensemble, nous publierons davantage de guides et testerons davantage de technologies dont dépendent les villes.",
        "ar": "نرحّب بشركائنا الجدد. معًا سننشر مزيدًا من الإرشادات ونختبر مزيدًا من التقنيات التي تعتمد عليها المدن.",
    },
}


def _topics():
    return {slug: get_topic(name) for slug, name in TOPICS.items()}


def _person(name):
    """The contributor called ``name`` in the default locale (created when the partners demo has not)."""
    person_model = apps.get_model("partners", "Person")
    locale = default_locale()
    person = person_model.objects.filter(name=name, locale=locale).first()
    return person or person_model.objects.create(name=name, locale=locale)


def _document(spec):
    title, line = spec["pdf"]
    document = get_document_model()(title=title, collection=Collection.get_first_root_node())
    document.file.save(f"{spec['slug']}.pdf", ContentFile(pdf_bytes(title, line)), save=False)
    document.file_size = document.file.size
    document.save()
    return document


def load(out):
    """Create the article index, the demo articles and their translations; return how many were made."""
    home = HomePage.objects.get(locale=default_locale())
    created = 0
    index, index_changed = get_or_fill_child(
        home,
        ArticleIndexPage,
        "articles",
        title="Articles",
        introduction="Research, news and guidelines from the initiative and its partners.",
        show_in_menus=True,
    )
    created += index_changed
    topics = _topics()
    articles = {}
    for spec in ARTICLES:
        article = ArticlePage.objects.filter(locale=index.locale, slug=spec["slug"]).first()
        if article is None:
            article = ArticlePage(
                title=spec["title"],
                slug=spec["slug"],
                kind=spec["kind"],
                date=spec["date"],
                summary=spec["summary"],
                body=spec["body"],
            )
            article.tagged_items = [ArticlePageTag(tag=topics[slug]) for slug in spec["topics"]]
            article.authors = [
                ArticleAuthor(person=_person(name), sort_order=order) for order, name in enumerate(spec["authors"])
            ]
            if "pdf" in spec:
                article.downloads = [ArticleDownload(document=_document(spec), title=spec["download_title"])]
            add_child_page(index, article)
            created += 1
        articles[spec["slug"]] = article
    for instance in [index, *(articles[slug] for slug in TRANSLATED)]:
        if (instance is index and index_changed) or not is_translated(instance, "es"):
            created += translate(instance, STRINGS)
    return created
