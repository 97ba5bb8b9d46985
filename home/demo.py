"""Demo content for the home page and the standard pages, with es, fr and ar translations."""

from wagtail.models import Site

from hub.demo import add_child_page, default_locale, fill_installed_page, is_translated, translate
from hub.models import FooterText, SiteSettings

from .models import HomePage, StandardPage

# English source string -> translations. Prose written for the hub from the initiative's facts.
STRINGS = {
    "Home": {"es": "Inicio", "fr": "Accueil", "ar": "الرئيسية"},
    "Let's make smart cities cyber-safe": {
        "es": "Hagamos que las ciudades inteligentes sean ciberseguras",
        "fr": "Rendons les villes intelligentes cybersûres",
        "ar": "لنجعل المدن الذكية آمنة سيبرانيًا",
    },
    "Securing Smart Cities brings cities, vendors and the security community together so that the technology running our cities is built with security in mind from the first plan to the last sensor.": {
        "es": "Securing Smart Cities reúne a ciudades, proveedores y la comunidad de seguridad para que la tecnología que hace funcionar nuestras ciudades se diseñe con la seguridad en mente, desde el primer plano hasta el último sensor.",
        "fr": "Securing Smart Cities rassemble villes, fournisseurs et communauté de la sécurité pour que les technologies qui font tourner nos villes soient conçues avec la sécurité en tête, du premier plan au dernier capteur.",
        "ar": "تجمع مبادرة Securing Smart Cities المدن والمورّدين ومجتمع الأمن السيبراني حتى تُبنى التقنيات التي تشغّل مدننا مع مراعاة الأمن منذ المخطط الأول وحتى آخر جهاز استشعار.",
    },
    "Join the initiative": {"es": "Únase a la iniciativa", "fr": "Rejoindre l’initiative", "ar": "انضم إلى المبادرة"},
    "What we work towards": {"es": "Nuestros objetivos", "fr": "Nos objectifs", "ar": "ما نعمل من أجله"},
    "Educate": {"es": "Educar", "fr": "Sensibiliser", "ar": "التوعية"},
    "Show cities and providers why security best practice pays off, in safety and in cost.": {
        "es": "Mostrar a ciudades y proveedores por qué las buenas prácticas de seguridad compensan, en protección y en costes.",
        "fr": "Montrer aux villes et aux fournisseurs pourquoi les bonnes pratiques de sécurité sont rentables, en sûreté comme en coûts.",
        "ar": "أن نُبيّن للمدن والمورّدين لماذا تعود أفضل ممارسات الأمن بالنفع، أمانًا وتكلفةً.",
    },
    "Collaborate": {"es": "Colaborar", "fr": "Collaborer", "ar": "التعاون"},
    "Share ideas and methods openly with partners across the sector.": {
        "es": "Compartir ideas y métodos abiertamente con socios de todo el sector.",
        "fr": "Partager ouvertement idées et méthodes avec des partenaires de tout le secteur.",
        "ar": "تبادل الأفكار والمنهجيات بشكل مفتوح مع الشركاء في القطاع كله.",
    },
    "Secure early": {"es": "Seguridad desde el inicio", "fr": "Sécuriser tôt", "ar": "الأمن منذ البداية"},
    "Make the case for building security into a project from the start of its life cycle.": {
        "es": "Defender la integración de la seguridad desde el comienzo del ciclo de vida de cada proyecto.",
        "fr": "Plaider pour intégrer la sécurité dès le début du cycle de vie de chaque projet.",
        "ar": "الدعوة إلى إدماج الأمن في المشروع منذ بداية دورة حياته.",
    },
    "Build partnerships": {"es": "Crear alianzas", "fr": "Bâtir des partenariats", "ar": "بناء الشراكات"},
    "Connect city authorities, technology providers and security researchers.": {
        "es": "Conectar a autoridades municipales, proveedores de tecnología e investigadores de seguridad.",
        "fr": "Relier autorités municipales, fournisseurs de technologies et chercheurs en sécurité.",
        "ar": "الربط بين سلطات المدن ومزوّدي التقنية وباحثي الأمن.",
    },
    "Create guidance": {"es": "Crear guías", "fr": "Produire des guides", "ar": "إعداد الإرشادات"},
    "Publish standards, guidelines and resources that raise the bar for every smart city technology.": {
        "es": "Publicar estándares, guías y recursos que eleven el nivel de toda tecnología de ciudad inteligente.",
        "fr": "Publier normes, lignes directrices et ressources qui élèvent le niveau de toute technologie de ville intelligente.",
        "ar": "نشر معايير وإرشادات وموارد ترفع مستوى كل تقنيات المدن الذكية.",
    },
    "How we can help you": {
        "es": "Cómo podemos ayudarle",
        "fr": "Comment nous pouvons vous aider",
        "ar": "كيف يمكننا مساعدتك",
    },
    "Whether a city is still drawing up plans or already switching systems on, it is never too late to look at security. We share what the community knows about the threats smart cities face and how to avoid or contain them.": {
        "es": "Tanto si una ciudad aún está trazando planes como si ya pone sistemas en marcha, nunca es tarde para pensar en la seguridad. Compartimos lo que la comunidad sabe sobre las amenazas a las ciudades inteligentes y cómo evitarlas o contenerlas.",
        "fr": "Qu’une ville en soit encore aux plans ou déjà à la mise en service, il n’est jamais trop tard pour penser sécurité. Nous partageons ce que la communauté sait des menaces qui pèsent sur les villes intelligentes et de la façon de les éviter ou de les contenir.",
        "ar": "سواء كانت المدينة ما تزال تضع خططها أو بدأت بتشغيل أنظمتها، فليس من المتأخر أبدًا التفكير في الأمن. نحن نشارك ما يعرفه المجتمع عن التهديدات التي تواجه المدن الذكية وكيفية تجنّبها أو احتوائها.",
    },
    "Take part": {"es": "Participe", "fr": "Participez", "ar": "شارك معنا"},
    "The initiative is open to city authorities, security researchers, security vendors and the makers of equipment and software used in public infrastructure.": {
        "es": "La iniciativa está abierta a autoridades municipales, investigadores y proveedores de seguridad, y a fabricantes de equipos y software para infraestructuras públicas.",
        "fr": "L’initiative est ouverte aux autorités municipales, aux chercheurs et fournisseurs en sécurité, ainsi qu’aux fabricants d’équipements et de logiciels pour les infrastructures publiques.",
        "ar": "المبادرة مفتوحة لسلطات المدن وباحثي الأمن ومورّدي حلول الأمن وصانعي المعدات والبرمجيات المستخدمة في البنية التحتية العامة.",
    },
    "Help make smart cities safer": {
        "es": "Ayude a que las ciudades inteligentes sean más seguras",
        "fr": "Aidez à rendre les villes intelligentes plus sûres",
        "ar": "ساعد في جعل المدن الذكية أكثر أمانًا",
    },
    "Tell us about your organisation and how you would like to contribute.": {
        "es": "Cuéntenos sobre su organización y cómo le gustaría contribuir.",
        "fr": "Présentez-nous votre organisation et la façon dont vous souhaitez contribuer.",
        "ar": "أخبرنا عن مؤسستك وكيف تودّ المساهمة.",
    },
    "Apply to join": {"es": "Solicitar la adhesión", "fr": "Demander l’adhésion", "ar": "قدّم طلب الانضمام"},
    "About": {"es": "Acerca de", "fr": "À propos", "ar": "من نحن"},
    "Securing Smart Cities is a not-for-profit initiative that identifies the cybersecurity challenges facing smart cities and proposes workable answers to them.": {
        "es": "Securing Smart Cities es una iniciativa sin ánimo de lucro que identifica los retos de ciberseguridad de las ciudades inteligentes y propone respuestas viables.",
        "fr": "Securing Smart Cities est une initiative à but non lucratif qui recense les défis de cybersécurité des villes intelligentes et propose des réponses réalistes.",
        "ar": "Securing Smart Cities مبادرة غير ربحية تحدد تحديات الأمن السيبراني التي تواجه المدن الذكية وتقترح حلولًا عملية لها.",
    },
    "Why it matters": {"es": "Por qué importa", "fr": "Pourquoi c’est important", "ar": "لماذا يهم ذلك"},
    "Many organisations are working to make cities more efficient, comfortable and sustainable with connected technology. Far fewer are asking how that technology will be kept secure.": {
        "es": "Muchas organizaciones trabajan para que las ciudades sean más eficientes, cómodas y sostenibles gracias a la tecnología conectada. Muchas menos se preguntan cómo se mantendrá segura esa tecnología.",
        "fr": "De nombreuses organisations s’efforcent de rendre les villes plus efficaces, agréables et durables grâce aux technologies connectées. Bien moins se demandent comment ces technologies resteront sûres.",
        "ar": "تعمل مؤسسات كثيرة على جعل المدن أكثر كفاءة وراحة واستدامة بفضل التقنيات المتصلة، لكن القليل منها يسأل كيف ستبقى هذه التقنيات آمنة.",
    },
    "The more a city depends on IT, the larger its attack surface. Problems left unaddressed at the planning stage become far harder and costlier to fix once systems are in place, and the city is left exposed.": {
        "es": "Cuanto más depende una ciudad de las TI, mayor es su superficie de ataque. Los problemas que no se abordan en la fase de planificación resultan mucho más difíciles y costosos de corregir una vez desplegados los sistemas, y la ciudad queda expuesta.",
        "fr": "Plus une ville dépend de l’informatique, plus sa surface d’attaque grandit. Les problèmes ignorés lors de la planification deviennent bien plus difficiles et coûteux à corriger une fois les systèmes en place, et la ville reste exposée.",
        "ar": "كلما ازداد اعتماد المدينة على تقنية المعلومات اتسعت مساحة الهجوم عليها. والمشكلات التي لا تُعالج في مرحلة التخطيط تصبح أصعب وأكثر كلفة بعد تشغيل الأنظمة، فتبقى المدينة مكشوفة.",
    },
    "What we do": {"es": "Qué hacemos", "fr": "Ce que nous faisons", "ar": "ماذا نفعل"},
    "We work at every stage of a smart city's development, from planning to deployment: we publish research and guidelines, bring partners together, and help cities ask the right questions of their suppliers.": {
        "es": "Trabajamos en cada etapa del desarrollo de una ciudad inteligente, de la planificación al despliegue: publicamos investigaciones y guías, reunimos a los socios y ayudamos a las ciudades a hacer las preguntas adecuadas a sus proveedores.",
        "fr": "Nous intervenons à chaque étape du développement d’une ville intelligente, de la planification au déploiement : nous publions recherches et guides, réunissons les partenaires et aidons les villes à poser les bonnes questions à leurs fournisseurs.",
        "ar": "نعمل في كل مرحلة من مراحل تطوير المدينة الذكية، من التخطيط إلى التشغيل: ننشر الأبحاث والإرشادات، ونجمع الشركاء، ونساعد المدن على طرح الأسئلة الصحيحة على مورّديها.",
    },
    "Privacy": {"es": "Privacidad", "fr": "Confidentialité", "ar": "الخصوصية"},
    "How the hub handles the personal data you give us.": {
        "es": "Cómo trata el sitio los datos personales que nos facilita.",
        "fr": "Comment le site traite les données personnelles que vous nous confiez.",
        "ar": "كيف يتعامل الموقع مع البيانات الشخصية التي تقدّمها لنا.",
    },
    "We store what you send in the membership form only to handle your application. Declined applications are deleted after 180 days. We use no trackers and no third-party services.": {
        "es": "Guardamos lo que envía en el formulario de adhesión solo para tramitar su solicitud. Las solicitudes rechazadas se eliminan a los 180 días. No usamos rastreadores ni servicios de terceros.",
        "fr": "Nous conservons ce que vous envoyez via le formulaire d’adhésion uniquement pour traiter votre demande. Les demandes refusées sont supprimées après 180 jours. Nous n’utilisons ni traceurs ni services tiers.",
        "ar": "نحتفظ بما ترسله عبر نموذج الانضمام فقط لمعالجة طلبك. تُحذف الطلبات المرفوضة بعد 180 يومًا. لا نستخدم أي أدوات تتبّع أو خدمات طرف ثالث.",
    },
    "Vulnerability disclosure policy": {
        "es": "Política de divulgación de vulnerabilidades",
        "fr": "Politique de divulgation des vulnérabilités",
        "ar": "سياسة الإفصاح عن الثغرات",
    },
    "How to report a security problem in this site, and what you can expect from us.": {
        "es": "Cómo comunicar un problema de seguridad en este sitio y qué puede esperar de nosotros.",
        "fr": "Comment signaler un problème de sécurité sur ce site, et ce que vous pouvez attendre de nous.",
        "ar": "كيفية الإبلاغ عن مشكلة أمنية في هذا الموقع وما يمكنك أن تتوقعه منا.",
    },
    "Write to the security contact listed in our security.txt file. We acknowledge reports within five working days, keep you informed, and credit you once a fix is out if you wish. Please do not access data that is not yours or disrupt the service.": {
        "es": "Escriba al contacto de seguridad indicado en nuestro archivo security.txt. Confirmamos la recepción en cinco días laborables, le mantenemos informado y, si lo desea, le reconocemos el hallazgo cuando haya una corrección. No acceda a datos ajenos ni interrumpa el servicio.",
        "fr": "Écrivez au contact sécurité indiqué dans notre fichier security.txt. Nous accusons réception sous cinq jours ouvrés, vous tenons informé et, si vous le souhaitez, vous créditons une fois le correctif publié. N’accédez pas à des données qui ne sont pas les vôtres et ne perturbez pas le service.",
        "ar": "راسل جهة الاتصال الأمنية المذكورة في ملف security.txt. نؤكد استلام البلاغ خلال خمسة أيام عمل، ونبقيك على اطلاع، وننسب إليك الفضل بعد نشر الإصلاح إن رغبت. يُرجى عدم الوصول إلى بيانات لا تخصك أو تعطيل الخدمة.",
    },
}


def _paragraph(text):
    return ("paragraph", f"<p>{text}</p>")


def _home_body():
    return [
        (
            "highlights",
            {
                "title": "What we work towards",
                "items": [
                    {
                        "title": "Educate",
                        "text": "Show cities and providers why security best practice pays off, in safety and in cost.",
                    },
                    {"title": "Collaborate", "text": "Share ideas and methods openly with partners across the sector."},
                    {
                        "title": "Secure early",
                        "text": "Make the case for building security into a project from the start of its life cycle.",
                    },
                    {
                        "title": "Build partnerships",
                        "text": "Connect city authorities, technology providers and security researchers.",
                    },
                    {
                        "title": "Create guidance",
                        "text": "Publish standards, guidelines and resources that raise the bar for every smart city technology.",
                    },
                ],
            },
        ),
        ("heading", {"text": "How we can help you", "level": "h2"}),
        _paragraph(
            "Whether a city is still drawing up plans or already switching systems on, it is never too late to look at "
            "security. We share what the community knows about the threats smart cities face and how to avoid or contain them."
        ),
        ("heading", {"text": "Take part", "level": "h2"}),
        _paragraph(
            "The initiative is open to city authorities, security researchers, security vendors and the makers of "
            "equipment and software used in public infrastructure."
        ),
        (
            "call_to_action",
            {
                "title": "Help make smart cities safer",
                "text": "Tell us about your organisation and how you would like to contribute.",
                "button_label": "Apply to join",
                "page": None,
                "url": "",
            },
        ),
    ]


STANDARD_PAGES = [
    {
        "slug": "about",
        "title": "About",
        "introduction": "Securing Smart Cities is a not-for-profit initiative that identifies the cybersecurity challenges facing smart cities and proposes workable answers to them.",
        "body": [
            ("heading", {"text": "Why it matters", "level": "h2"}),
            _paragraph(
                "Many organisations are working to make cities more efficient, comfortable and sustainable with connected technology. Far fewer are asking how that technology will be kept secure."
            ),
            _paragraph(
                "The more a city depends on IT, the larger its attack surface. Problems left unaddressed at the planning stage become far harder and costlier to fix once systems are in place, and the city is left exposed."
            ),
            ("heading", {"text": "What we do", "level": "h2"}),
            _paragraph(
                "We work at every stage of a smart city's development, from planning to deployment: we publish research and guidelines, bring partners together, and help cities ask the right questions of their suppliers."
            ),
        ],
        "show_in_menus": True,
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "introduction": "How the hub handles the personal data you give us.",
        "body": [
            _paragraph(
                "We store what you send in the membership form only to handle your application. Declined applications are deleted after 180 days. We use no trackers and no third-party services."
            )
        ],
        "show_in_menus": False,
    },
    {
        "slug": "disclosure-policy",
        "title": "Vulnerability disclosure policy",
        "introduction": "How to report a security problem in this site, and what you can expect from us.",
        "body": [
            _paragraph(
                "Write to the security contact listed in our security.txt file. We acknowledge reports within five working days, keep you informed, and credit you once a fix is out if you wish. Please do not access data that is not yours or disrupt the service."
            )
        ],
        "show_in_menus": False,
    },
]


def fill_home():
    """The English home page that migrate installed, with the demo's hero and body. Returns (home, changed)."""
    home = HomePage.objects.get(locale=default_locale(), depth=2)
    if home.hero_text:
        return home, False
    # The installed heading is only a default: the demo replaces it with its own.
    home.hero_heading = "Let's make smart cities cyber-safe"
    changed = fill_installed_page(home, hero_text=STRINGS_HERO, hero_cta_label="Join the initiative", body=_home_body())
    return home, changed


STRINGS_HERO = (
    "Securing Smart Cities brings cities, vendors and the security community together so that the technology "
    "running our cities is built with security in mind from the first plan to the last sensor."
)


FOOTER = (
    "Securing Smart Cities is a not-for-profit initiative helping cities, vendors and the security community "
    "build smart cities with cybersecurity in mind."
)
STRINGS[FOOTER] = {
    "es": "Securing Smart Cities es una iniciativa sin ánimo de lucro que ayuda a ciudades, proveedores y a la comunidad de seguridad a construir ciudades inteligentes pensando en la ciberseguridad.",
    "fr": "Securing Smart Cities est une initiative à but non lucratif qui aide villes, fournisseurs et communauté de la sécurité à bâtir des villes intelligentes en pensant cybersécurité.",
    "ar": "Securing Smart Cities مبادرة غير ربحية تساعد المدن والمورّدين ومجتمع الأمن على بناء مدن ذكية مع مراعاة الأمن السيبراني.",
}


def load(out):
    """Create the home page, the standard pages and their translations; return how many were made."""
    created = 0
    home, home_changed = fill_home()
    created += home_changed
    pages = {}
    for spec in STANDARD_PAGES:
        page = StandardPage.objects.filter(locale=home.locale, slug=spec["slug"]).first()
        if page is None:
            page = add_child_page(home, StandardPage(**spec))
            created += 1
        pages[spec["slug"]] = page
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if site_settings.disclosure_policy_id is None or site_settings.privacy_policy_id is None:
        site_settings.disclosure_policy = pages["disclosure-policy"]
        site_settings.privacy_policy = pages["privacy"]
        site_settings.save()
    footer, footer_created = FooterText.objects.get_or_create(locale=home.locale, defaults={"text": FOOTER})
    created += footer_created
    for instance in [home, *pages.values(), footer]:
        if (instance is home and home_changed) or not is_translated(instance, "es"):
            created += translate(instance, STRINGS)
    return created
