"""Helpers the per-app ``demo`` modules share to build idempotent demo content.

Each content app may have a ``demo.py`` with ``load(out) -> int`` (objects created);
``manage.py load_demo_content`` calls them in INSTALLED_APPS order.
"""

from django.conf import settings
from django.utils.text import slugify

from wagtail.models import Locale
from wagtail_localize.synctree import synchronize_tree

from hub.groups import sync_translators_group
from hub.models import Topic, TopicLabel
from hub.translation import is_translated, translate

DEMO_LANGUAGES = ("es", "fr", "ar")


def default_locale():
    """The default (source) locale."""
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


def add_child_page(parent, page):
    """Add ``page`` under ``parent`` in the default locale and publish it."""
    page.locale = parent.locale
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def fill_installed_page(page, **fields):
    """Give a page that ``migrate`` installed the demo's ``fields`` where it has none; publish it.

    Returns True when something changed (its translations then need the new text too).
    """
    empty = {name: value for name, value in fields.items() if value and not getattr(page, name)}
    if not empty:
        return False
    for name, value in empty.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return True


def get_or_fill_child(parent, model, slug, **fields):
    """The English section ``slug`` under ``parent`` with the demo's ``fields``: the installed one
    filled in, or a new published one. Returns (page, changed)."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        return add_child_page(parent, model(slug=slug, **fields)), True
    return page, fill_installed_page(page, **fields)


def get_topic(name):
    """The topic called ``name`` (any case), created with a slug from its name when missing."""
    topic = Topic.objects.filter(name__iexact=name).first()
    if topic is None:
        topic = Topic.objects.create(name=name, slug=slugify(name))
    return topic


# Demo topic labels, shared by the partners, articles and events demos.
TOPIC_LABELS = {
    "City operations": {"es": "Operaciones urbanas", "fr": "Opérations urbaines", "ar": "عمليات المدينة"},
    "Connected vehicles": {"es": "Vehículos conectados", "fr": "Véhicules connectés", "ar": "المركبات المتصلة"},
    "Crisis management": {"es": "Gestión de crisis", "fr": "Gestion de crise", "ar": "إدارة الأزمات"},
    "Industrial control systems": {
        "es": "Sistemas de control industrial",
        "fr": "Systèmes de contrôle industriels",
        "ar": "أنظمة التحكم الصناعي",
    },
    "Critical infrastructure": {
        "es": "Infraestructuras críticas",
        "fr": "Infrastructures critiques",
        "ar": "البنية التحتية الحيوية",
    },
    "Emerging technology": {"es": "Tecnologías emergentes", "fr": "Technologies émergentes", "ar": "التقنيات الناشئة"},
    "Energy": {"es": "Energía", "fr": "Énergie", "ar": "الطاقة"},
    "Governance": {"es": "Gobernanza", "fr": "Gouvernance", "ar": "الحوكمة"},
    "Incident response": {"es": "Respuesta a incidentes", "fr": "Réponse aux incidents", "ar": "الاستجابة للحوادث"},
    "Internet infrastructure": {
        "es": "Infraestructura de internet",
        "fr": "Infrastructure d’internet",
        "ar": "البنية التحتية للإنترنت",
    },
    "Internet of things": {"es": "Internet de las cosas", "fr": "Internet des objets", "ar": "إنترنت الأشياء"},
    "Open data": {"es": "Datos abiertos", "fr": "Données ouvertes", "ar": "البيانات المفتوحة"},
    "Policy and ethics": {"es": "Políticas y ética", "fr": "Politiques et éthique", "ar": "السياسات والأخلاقيات"},
    "Procurement": {"es": "Contratación pública", "fr": "Achats publics", "ar": "المشتريات العامة"},
    "Public transport": {"es": "Transporte público", "fr": "Transports publics", "ar": "النقل العام"},
    "Risk management": {"es": "Gestión de riesgos", "fr": "Gestion des risques", "ar": "إدارة المخاطر"},
    "Security testing": {"es": "Pruebas de seguridad", "fr": "Tests de sécurité", "ar": "اختبارات الأمن"},
    "Smart lighting": {"es": "Alumbrado inteligente", "fr": "Éclairage intelligent", "ar": "الإنارة الذكية"},
    "Standards and guidelines": {
        "es": "Normas y guías",
        "fr": "Normes et lignes directrices",
        "ar": "المعايير والإرشادات",
    },
    "Threat research": {"es": "Investigación de amenazas", "fr": "Recherche sur les menaces", "ar": "أبحاث التهديدات"},
    "Transport": {"es": "Transporte", "fr": "Transports", "ar": "النقل"},
    "Wireless security": {"es": "Seguridad inalámbrica", "fr": "Sécurité sans fil", "ar": "أمن الشبكات اللاسلكية"},
}


def translate_topic_labels():
    """Translate every English topic label that is not translated yet; return how many were."""
    count = 0
    for label in TopicLabel.objects.filter(locale=default_locale()).select_related("topic"):
        if not is_translated(label, DEMO_LANGUAGES[0]) and label.name in TOPIC_LABELS:
            count += translate(label, {label.name: TOPIC_LABELS[label.name]})
    return count


def synchronise_locales():
    """Create aliases in every locale for pages not translated there yet; refresh translator rights."""
    source = default_locale()
    for locale in Locale.objects.exclude(pk=source.pk):
        synchronize_tree(source, locale)
    sync_translators_group()
