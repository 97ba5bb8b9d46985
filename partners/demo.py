"""Demo content: the initiative's 35 contributors, the organisations they come from, and the
partners, contributors and join pages, translated into es, fr and ar."""

import io

from PIL import Image as PILImage
from PIL import ImageDraw

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from home import demo as home_demo
from home.models import HomePage
from hub.demo import default_locale, get_or_fill_child, get_topic, is_translated, translate

from .choices import PartnerType
from .models import ContributorsPage, JoinPage, PartnerIndexPage, PartnerPage, Person
from .permissions import partner_collection, setup_partner_access, sync_partner_permissions

T = PartnerType

# slug -> (name, type, country, focus topics)
ORGANISATIONS = {
    "ioactive": ("IOActive", T.SECURITY_VENDOR, "US", ["Security testing", "Critical infrastructure"]),
    "kaspersky-lab": ("Kaspersky Lab", T.SECURITY_VENDOR, "RU", ["Threat research"]),
    "uber": ("Uber", T.TECHNOLOGY_VENDOR, "US", ["Connected vehicles"]),
    "bastille": ("Bastille", T.SECURITY_VENDOR, "US", ["Wireless security", "Internet of things"]),
    "arlington-county": ("Arlington County, Virginia", T.CITY_AUTHORITY, "US", ["City operations"]),
    "symantec": ("Symantec", T.SECURITY_VENDOR, "US", ["Threat research"]),
    "jp-morgan": ("J.P. Morgan", T.SUPPORTING, "US", ["Emerging technology"]),
    "cloud-security-alliance": ("Cloud Security Alliance", T.SUPPORTING, "US", ["Standards and guidelines"]),
    "xipiter": ("Xipiter LLC", T.SECURITY_RESEARCH, "US", ["Security testing", "Internet of things"]),
    "exigent": ("Exigent", T.TECHNOLOGY_VENDOR, "US", ["City operations"]),
    "singularity-university": ("Singularity University", T.SUPPORTING, "US", ["Policy and ethics"]),
    "eleven-paths": ("Eleven Paths", T.SECURITY_VENDOR, "ES", ["Threat research"]),
    "centro-de-ciberseguridad-industrial": (
        "Centro de Ciberseguridad Industrial",
        T.SUPPORTING,
        "ES",
        ["Industrial control systems", "Standards and guidelines"],
    ),
    "london-underground": ("London Underground", T.CITY_AUTHORITY, "GB", ["Transport", "Critical infrastructure"]),
    "smart-city-catalyst": ("Smart City Catalyst", T.TECHNOLOGY_VENDOR, "DK", ["City operations"]),
    "urban-tide": ("Urban Tide", T.TECHNOLOGY_VENDOR, "GB", ["Open data"]),
    "qatar-ministry-of-ict": (
        "Qatar Ministry of Information and Communications Technology",
        T.CITY_AUTHORITY,
        "QA",
        ["Crisis management", "Standards and guidelines"],
    ),
    "opentrv": ("OpenTRV", T.TECHNOLOGY_VENDOR, "GB", ["Internet of things", "Energy"]),
    "bloomberg-bna": ("Bloomberg BNA", T.SUPPORTING, "US", ["Policy and ethics"]),
    "leidos": ("Leidos", T.TECHNOLOGY_VENDOR, "US", ["Critical infrastructure"]),
    "minded-security": ("Minded Security", T.SECURITY_RESEARCH, "IT", ["Security testing"]),
    "thingworx": ("ThingWorx", T.TECHNOLOGY_VENDOR, "US", ["Internet of things"]),
    "ernst-young": ("Ernst & Young", T.SECURITY_VENDOR, "GB", ["Risk management"]),
    "dell": ("Dell", T.TECHNOLOGY_VENDOR, "US", ["Critical infrastructure"]),
    "red-solutions": ("RED solutions", T.TECHNOLOGY_VENDOR, "", ["City operations"]),
    "ripe-ncc": ("RIPE NCC", T.SUPPORTING, "NL", ["Internet infrastructure"]),
    "opposing-force": ("Opposing Force", T.SECURITY_VENDOR, "IT", ["Security testing", "Connected vehicles"]),
    "center-for-internet-security": (
        "Center for Internet Security",
        T.SUPPORTING,
        "US",
        ["Standards and guidelines", "Threat research"],
    ),
}

# (name, role, organisation slug or free text, board member), in the order of the initiative's list.
PEOPLE = [
    ("Cesar Cerrudo", "CTO, IOActive Labs", "ioactive", True),
    ("Amin Hasbini", "Head of Research Center (GReAT)", "kaspersky-lab", True),
    ("Alan Seow", "Cyber Security Practitioner", "", True),
    ("Chris Valasek", "Security Researcher", "uber", False),
    ("Vasilios Hioureas", "Independent security researcher", "", False),
    ("Chris Rouland", "CEO", "bastille", True),
    ("David Jordan", "CISO", "arlington-county", True),
    ("Giampiero Nanni", "Government Affairs, EMEA", "symantec", True),
    ("Patrick Nielsen", "Emerging Technology", "jp-morgan", False),
    ("Jim Reavis", "CEO", "cloud-security-alliance", True),
    ("Stephen A. Ridley", "Principal", "xipiter", True),
    ("Thomas Kinsey", "Senior Engineer", "exigent", False),
    ("Marc Goodman", "Global Security Advisor; Chair for Policy, Law and Ethics", "singularity-university", False),
    ("Claudio Caracciolo", "Chief Security Ambassador", "eleven-paths", False),
    ("Jose Valiente", "Direction and Coordination", "centro-de-ciberseguridad-industrial", False),
    ("Luis Parrondo", "Principal Cyber Security Architect, Business Manager", "london-underground", False),
    ("Martin Tom-Petersen", "CEO", "smart-city-catalyst", False),
    ("Simon Tricker", "Co-Founder & CDO", "urban-tide", False),
    ("Tarun Gupta", "Crisis Management Section Head", "qatar-ministry-of-ict", False),
    ("Damon Hart-Davis", "", "opentrv", False),
    ("Mike Newborn", "Chief Security Officer", "bloomberg-bna", False),
    ("Samir Pawaskar", "CS Policy and Standards Section Head", "qatar-ministry-of-ict", False),
    ("Daniel Miessler", "Director of Client Advisory Services", "ioactive", False),
    ("Ryan Naraine", "Head of Kaspersky GReAT USA", "kaspersky-lab", False),
    ("Brian Russell", "Chief Engineer", "leidos", False),
    ("Giorgio Fedon", "Technical Director, COO and Co-Founder", "minded-security", False),
    ("Stefano Di Paola", "CTO and Chief Scientist", "minded-security", False),
    ("Justin C. Klein Keane", "Security Architect", "thingworx", False),
    ("Omar Sherin", "Director, Cyber Security", "ernst-young", False),
    ("Sandeep Singh", "Security Analyst", "dell", False),
    ("Geoff Moore", "Chief Technology Officer", "red-solutions", False),
    ("Hisham Ibrahim", "External Relations Officer – Technical Advisor", "ripe-ncc", False),
    ("Matteo Beccaro", "Chief Technology Officer & Founder", "opposing-force", False),
    ("Matteo Collura", "Security Researcher", "", False),
    ("Erik Kamerling", "Senior Director MS-ISAC", "center-for-internet-security", False),
]

SUMMARIES = {
    T.CITY_AUTHORITY: "A public authority that runs city services and brings the operator's view of smart city security to the initiative.",
    T.SECURITY_RESEARCH: "A security research team that tests smart city technology and shares what it finds with the community.",
    T.SECURITY_VENDOR: "A security company contributing research, testing and advice on protecting city systems.",
    T.TECHNOLOGY_VENDOR: "A maker of technology used in cities that works with the initiative to build security in from the start.",
    T.SUPPORTING: "An organisation that supports the initiative's work on safer smart cities.",
}


def _t(es, fr, ar):
    return {"es": es, "fr": fr, "ar": ar}


STRINGS = {
    # Pages
    "Partners": _t("Socios", "Partenaires", "الشركاء"),
    "The organisations that work with Securing Smart Cities: city authorities, researchers, security vendors and makers of city technology.": _t(
        "Las organizaciones que colaboran con Securing Smart Cities: autoridades municipales, investigadores, proveedores de seguridad y fabricantes de tecnología urbana.",
        "Les organisations qui travaillent avec Securing Smart Cities : autorités municipales, chercheurs, fournisseurs de sécurité et fabricants de technologies urbaines.",
        "المؤسسات التي تعمل مع Securing Smart Cities: سلطات المدن والباحثون ومورّدو حلول الأمن وصانعو تقنيات المدن.",
    ),
    "Contributors": _t("Colaboradores", "Contributeurs", "المساهمون"),
    "The researchers and practitioners who contribute to the initiative. Members of the board are listed first.": _t(
        "Los investigadores y profesionales que contribuyen a la iniciativa. Los miembros de la junta aparecen primero.",
        "Les chercheurs et praticiens qui contribuent à l’initiative. Les membres du conseil sont présentés en premier.",
        "الباحثون والممارسون الذين يساهمون في المبادرة. يُدرج أعضاء المجلس أولًا.",
    ),
    "Join": _t("Únase", "Adhérer", "انضم إلينا"),
    "Securing Smart Cities is open to city authorities, security researchers, security vendors and vendors of equipment and software used in public infrastructure. Tell us who you are and the board will reply.": _t(
        "Securing Smart Cities está abierta a autoridades municipales, investigadores y proveedores de seguridad, y a proveedores de equipos y software para infraestructuras públicas. Cuéntenos quién es y la junta le responderá.",
        "Securing Smart Cities est ouverte aux autorités municipales, aux chercheurs et fournisseurs en sécurité, ainsi qu’aux fournisseurs d’équipements et de logiciels pour les infrastructures publiques. Présentez-vous et le conseil vous répondra.",
        "مبادرة Securing Smart Cities مفتوحة لسلطات المدن وباحثي الأمن ومورّدي حلول الأمن ومورّدي المعدات والبرمجيات المستخدمة في البنية التحتية العامة. عرّفنا بنفسك وسيرد عليك المجلس.",
    ),
    "Thank you for your application. The board reads every one and will reply by email.": _t(
        "Gracias por su solicitud. La junta lee todas y le responderá por correo electrónico.",
        "Merci pour votre demande. Le conseil les lit toutes et vous répondra par courriel.",
        "شكرًا على طلبك. يقرأ المجلس كل الطلبات وسيرد عليك بالبريد الإلكتروني.",
    ),
    # Organisation summaries
    SUMMARIES[T.CITY_AUTHORITY]: _t(
        "Una autoridad pública que gestiona servicios urbanos y aporta a la iniciativa la visión del operador sobre la seguridad de la ciudad inteligente.",
        "Une autorité publique qui gère des services urbains et apporte à l’initiative le regard de l’exploitant sur la sécurité de la ville intelligente.",
        "جهة عامة تدير خدمات المدينة وتقدّم للمبادرة منظور المشغّل لأمن المدن الذكية.",
    ),
    SUMMARIES[T.SECURITY_RESEARCH]: _t(
        "Un equipo de investigación en seguridad que pone a prueba la tecnología urbana y comparte sus hallazgos con la comunidad.",
        "Une équipe de recherche en sécurité qui teste les technologies urbaines et partage ses résultats avec la communauté.",
        "فريق بحث أمني يختبر تقنيات المدن الذكية ويشارك ما يكتشفه مع المجتمع.",
    ),
    SUMMARIES[T.SECURITY_VENDOR]: _t(
        "Una empresa de seguridad que aporta investigación, pruebas y asesoramiento para proteger los sistemas urbanos.",
        "Une entreprise de sécurité qui apporte recherche, tests et conseils pour protéger les systèmes urbains.",
        "شركة أمنية تساهم بالأبحاث والاختبارات والمشورة لحماية أنظمة المدن.",
    ),
    SUMMARIES[T.TECHNOLOGY_VENDOR]: _t(
        "Un fabricante de tecnología para ciudades que trabaja con la iniciativa para integrar la seguridad desde el principio.",
        "Un fabricant de technologies urbaines qui travaille avec l’initiative pour intégrer la sécurité dès le départ.",
        "شركة تصنع تقنيات تستخدمها المدن وتعمل مع المبادرة لإدماج الأمن منذ البداية.",
    ),
    SUMMARIES[T.SUPPORTING]: _t(
        "Una organización que apoya el trabajo de la iniciativa por unas ciudades inteligentes más seguras.",
        "Une organisation qui soutient le travail de l’initiative pour des villes intelligentes plus sûres.",
        "مؤسسة تدعم عمل المبادرة من أجل مدن ذكية أكثر أمانًا.",
    ),
    # Organisation names that read differently in other languages
    "Qatar Ministry of Information and Communications Technology": _t(
        "Ministerio de Tecnologías de la Información y las Comunicaciones de Catar",
        "Ministère des Technologies de l’information et de la communication du Qatar",
        "وزارة الاتصالات وتكنولوجيا المعلومات في قطر",
    ),
    "Arlington County, Virginia": _t(
        "Condado de Arlington, Virginia", "Comté d’Arlington, Virginie", "مقاطعة أرلينغتون، فرجينيا"
    ),
    "London Underground": _t("Metro de Londres", "Métro de Londres", "مترو أنفاق لندن"),
    # Roles
    "CTO, IOActive Labs": _t(
        "Director de tecnología, IOActive Labs", "Directeur technique, IOActive Labs", "المدير التقني، IOActive Labs"
    ),
    "Head of Research Center (GReAT)": _t(
        "Director del Centro de Investigación (GReAT)",
        "Responsable du centre de recherche (GReAT)",
        "رئيس مركز الأبحاث (GReAT)",
    ),
    "Cyber Security Practitioner": _t(
        "Profesional de la ciberseguridad", "Praticien de la cybersécurité", "ممارس في الأمن السيبراني"
    ),
    "Security Researcher": _t("Investigador de seguridad", "Chercheur en sécurité", "باحث أمني"),
    "Independent security researcher": _t(
        "Investigador de seguridad independiente", "Chercheur en sécurité indépendant", "باحث أمني مستقل"
    ),
    "CEO": _t("Consejero delegado", "Président-directeur général", "الرئيس التنفيذي"),
    "CISO": _t(
        "Responsable de seguridad de la información (CISO)",
        "Responsable de la sécurité des systèmes d’information (RSSI)",
        "كبير مسؤولي أمن المعلومات",
    ),
    "Government Affairs, EMEA": _t(
        "Asuntos gubernamentales, EMEA", "Affaires publiques, EMEA", "الشؤون الحكومية، أوروبا والشرق الأوسط وأفريقيا"
    ),
    "Emerging Technology": _t("Tecnologías emergentes", "Technologies émergentes", "التقنيات الناشئة"),
    "Principal": _t("Socio director", "Associé principal", "شريك رئيسي"),
    "Senior Engineer": _t("Ingeniero sénior", "Ingénieur principal", "مهندس أول"),
    "Global Security Advisor; Chair for Policy, Law and Ethics": _t(
        "Asesor mundial de seguridad; director del área de Política, Derecho y Ética",
        "Conseiller mondial en sécurité ; titulaire de la chaire Politique, droit et éthique",
        "مستشار أمني عالمي؛ رئيس قسم السياسات والقانون والأخلاقيات",
    ),
    "Chief Security Ambassador": _t(
        "Embajador jefe de seguridad", "Ambassadeur en chef de la sécurité", "كبير سفراء الأمن"
    ),
    "Direction and Coordination": _t("Dirección y Coordinación", "Direction et coordination", "الإدارة والتنسيق"),
    "Principal Cyber Security Architect, Business Manager": _t(
        "Arquitecto principal de ciberseguridad, responsable de negocio",
        "Architecte principal en cybersécurité, responsable d’activité",
        "كبير مهندسي الأمن السيبراني، مدير أعمال",
    ),
    "Co-Founder & CDO": _t(
        "Cofundador y director de datos", "Cofondateur et directeur des données", "شريك مؤسس ورئيس قسم البيانات"
    ),
    "Crisis Management Section Head": _t(
        "Jefe de la Sección de Gestión de Crisis", "Chef de la section Gestion de crise", "رئيس قسم إدارة الأزمات"
    ),
    "Chief Security Officer": _t("Director de seguridad", "Directeur de la sécurité", "كبير مسؤولي الأمن"),
    "CS Policy and Standards Section Head": _t(
        "Jefe de la Sección de Políticas y Normas de Ciberseguridad",
        "Chef de la section Politiques et normes de cybersécurité",
        "رئيس قسم سياسات ومعايير الأمن السيبراني",
    ),
    "Director of Client Advisory Services": _t(
        "Director de servicios de asesoramiento a clientes",
        "Directeur des services de conseil aux clients",
        "مدير خدمات استشارات العملاء",
    ),
    "Head of Kaspersky GReAT USA": _t(
        "Director de Kaspersky GReAT en EE. UU.",
        "Responsable de Kaspersky GReAT aux États-Unis",
        "رئيس فريق Kaspersky GReAT في الولايات المتحدة",
    ),
    "Chief Engineer": _t("Ingeniero jefe", "Ingénieur en chef", "كبير المهندسين"),
    "Technical Director, COO and Co-Founder": _t(
        "Director técnico, director de operaciones y cofundador",
        "Directeur technique, directeur des opérations et cofondateur",
        "المدير الفني، الرئيس التنفيذي للعمليات وشريك مؤسس",
    ),
    "CTO and Chief Scientist": _t(
        "Director de tecnología y científico jefe",
        "Directeur technique et scientifique en chef",
        "المدير التقني وكبير العلماء",
    ),
    "Security Architect": _t("Arquitecto de seguridad", "Architecte sécurité", "مهندس أمن"),
    "Director, Cyber Security": _t(
        "Director de ciberseguridad", "Directeur de la cybersécurité", "مدير الأمن السيبراني"
    ),
    "Security Analyst": _t("Analista de seguridad", "Analyste sécurité", "محلل أمني"),
    "Chief Technology Officer": _t("Director de tecnología", "Directeur technique", "الرئيس التقني"),
    "External Relations Officer – Technical Advisor": _t(
        "Responsable de relaciones externas – asesor técnico",
        "Chargé des relations extérieures – conseiller technique",
        "مسؤول العلاقات الخارجية – مستشار تقني",
    ),
    "Chief Technology Officer & Founder": _t(
        "Director de tecnología y fundador", "Directeur technique et fondateur", "الرئيس التقني والمؤسس"
    ),
    "Senior Director MS-ISAC": _t(
        "Director sénior de MS-ISAC", "Directeur principal du MS-ISAC", "مدير أول في MS-ISAC"
    ),
}

PALETTE = ["#0b4f6c", "#b8420f", "#2d6a4f", "#5a189a", "#9d0208", "#1d3557", "#6c584c"]


def placeholder_logo(name, index):
    """A plain PNG logo with the organisation's initials (no external assets)."""
    initials = "".join(word[0] for word in name.replace("&", " ").split() if word[0].isalnum())[:3].upper()
    image = PILImage.new("RGB", (320, 160), PALETTE[index % len(PALETTE)])
    draw = ImageDraw.Draw(image)
    draw.text((160, 80), initials or "?", fill="#ffffff", anchor="mm", font_size=72)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer


def load_organisations(index):
    """Partner profiles with logos in their own collections. Returns ({slug: page}, created count)."""
    image_model = get_image_model()
    pages, created = {}, 0
    for position, (slug, (name, partner_type, country, topics)) in enumerate(ORGANISATIONS.items()):
        page, new = get_or_fill_child(
            index,
            PartnerPage,
            slug,
            title=name,
            partner_type=partner_type,
            country=country,
            summary=SUMMARIES[partner_type],
        )
        if new:
            created += 1
            setup_partner_access(page)
            logo = image_model(title=f"{name} logo", collection=partner_collection(page))
            logo.file = ImageFile(placeholder_logo(name, position), name=f"{slug}-logo.png")
            logo.save()
            page.logo = logo
            for topic_name in topics:
                page.topics.add(get_topic(topic_name))
            page.save_revision().publish()
        pages[slug] = page
    return pages, created


def load_people(organisations, locale):
    """The 35 contributors, in the order of the initiative's list. Returns the number created."""
    created = 0
    for position, (name, role, organisation, board) in enumerate(PEOPLE):
        if Person.objects.filter(locale=locale, name=name).exists():
            continue
        Person.objects.create(
            locale=locale,
            name=name,
            role=role,
            organisation=organisations.get(organisation),
            organisation_name="" if organisation in organisations else organisation,
            is_board_member=board,
            sort_order=position,
        )
        created += 1
    return created


def load(out):
    """Create and translate the partners section; return how many objects were created or translated."""
    locale = default_locale()
    home = HomePage.objects.get(locale=locale)
    created = 0
    filled = []  # sections made or filled in now, whose translations need their new text
    index, new = get_or_fill_child(
        home,
        PartnerIndexPage,
        "partners",
        title="Partners",
        introduction="The organisations that work with Securing Smart Cities: city authorities, researchers, security vendors and makers of city technology.",
        show_in_menus=True,
    )
    created += new
    filled += [index] if new else []
    contributors, new = get_or_fill_child(
        home,
        ContributorsPage,
        "contributors",
        title="Contributors",
        introduction="The researchers and practitioners who contribute to the initiative. Members of the board are listed first.",
        show_in_menus=True,
    )
    created += new
    filled += [contributors] if new else []
    join, new = get_or_fill_child(
        home,
        JoinPage,
        "join",
        title="Join",
        introduction="Securing Smart Cities is open to city authorities, security researchers, security vendors and vendors of equipment and software used in public infrastructure. Tell us who you are and the board will reply.",
        thank_you_text="Thank you for your application. The board reads every one and will reply by email.",
        show_in_menus=True,
    )
    created += new
    filled += [join] if new else []
    organisations, count = load_organisations(index)
    created += count
    created += load_people(organisations, locale)

    for instance in [index, contributors, join, *organisations.values(), *Person.objects.filter(locale=locale)]:
        if instance in filled or not is_translated(instance, "es"):
            created += translate(instance, STRINGS)

    if home.hero_cta_page_id is None:
        home.hero_cta_page = join
        home.save_revision().publish()
        translate(home, home_demo.STRINGS)  # carries the button target into the translations
        created += 1
    sync_partner_permissions()
    return created
