"""Settings shared by every environment. Environment-specific modules import from here."""

import logging
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from django.core.exceptions import ImproperlyConfigured

from hub.logs import logging_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list of non-empty strings."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "hub",
    "home",
    "partners",
    "articles",
    "events",
    "registrations",
    "groups",
    "digests",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",  # translated country names for partner profiles and the join form
    "rest_framework",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes for a lost phone
    "django_tasks",
    "django_tasks_db",
    "django_structlog",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Page-cache hits are answered here, before anything else runs (hub.page_cache).
    "hub.page_cache.CachedPageMiddleware",
    "django_structlog.middlewares.RequestMiddleware",  # request id, one log line per request (hub.logs)
    "django.middleware.security.SecurityMiddleware",
    # HTML and feeds compressed for clients that accept it (whitenoise serves static files
    # precompressed). CSRF tokens are masked per response, so BREACH cannot read them.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hub.middleware.ContentSecurityPolicyMiddleware",
    "hub.middleware.SecurityHeadersMiddleware",
    "hub.middleware.StripNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hub.middleware.LocaleMiddleware",  # Django's, without redirecting the API's 404s
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hub.two_factor.AdminTwoFactorMiddleware",
    "partners.isolation.PartnerIsolationMiddleware",  # partners see only their organisation's work
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETag and 304 for revalidating caches
    "hub.page_cache.AnonymousPageCacheMiddleware",
    "hub.memo.GenerationMiddleware",  # per-generation memos read the generation the page cache read
    "hub.routing.SiteMiddleware",  # Wagtail's Site lookup, remembered per generation
    "hub.outage.DatabaseOutageMiddleware",  # inside the page cache: cached pages outlive an outage
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL selects PostgreSQL (or anything dj-database-url reads).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
# A database that is down or hung answers quickly: connection and statement timeouts (seconds).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", DATABASE_CONNECT_TIMEOUT + 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process (pages, labels, rate limits): Django's database cache here,
# Redis in production when REDIS_URL is set. Both fail open (hub.cache); migrate makes the table.
CACHES = {
    "default": {
        "BACKEND": "hub.cache.FailOpenDatabaseCache",
        "LOCATION": "hub_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
    },
    # Wagtail writes every rendition it hands out to this cache (a write is five queries on the
    # database cache); listings prefetch renditions instead, so none is kept (Redis keeps them).
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Anonymous public pages are cached whole, per language and URL, and invalidated on every
# visible change (hub.page_cache, hub.invalidation). 0 turns it off.
HUB_PAGE_CACHE_SECONDS = int(os.environ.get("HUB_PAGE_CACHE_SECONDS", "300"))
# Each process also keeps the pages of the current generation it served lately, up to this size.
HUB_PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("HUB_PAGE_CACHE_LOCAL_BYTES", str(16 * 1024 * 1024)))
# s-maxage for shared caches, used only when a purging front-end cache is configured.
HUB_SHARED_CACHE_SECONDS = int(os.environ.get("HUB_SHARED_CACHE_SECONDS", "300"))
# Every rate limit of the hub (hub.ratelimit): scope -> (requests, seconds) per client.
HUB_RATE_LIMITS = {
    "join": (10, 3600),
    "login": (20, 600),
    "password-reset": (5, 3600),
    "password-reset-account": (3, 3600),  # per account address, whatever the client address
    # Searches with a query, per client: "requests/seconds" in HUB_SEARCH_RATE_LIMIT (make bench raises it).
    "search": tuple(int(part) for part in os.environ.get("HUB_SEARCH_RATE_LIMIT", "60/60").split("/", 1)),
    "api": (300, 60),
    "registration": (10, 3600),
    "subscription": (10, 3600),
    "group-join": (10, 3600),  # requests to join working groups, per account
}
# The public API (Django REST framework, under Wagtail's API) counts requests on the same limiter.
REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["hub.ratelimit.HubRateThrottle"]}

# Background work: immediate in development; production swaps in the database worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# wagtail-localize's heavy jobs (subtree translation, locale sync) go through the same tasks.
WAGTAILLOCALIZE_JOBS = {"BACKEND": "hub.tasks.DjangoTasksJobBackend"}
# A task RUNNING longer than this (seconds) lost its worker and is queued again (hub.tasks);
# tasks without a retry policy get this many attempts in all.
HUB_TASK_TIMEOUT = int(os.environ.get("HUB_TASK_TIMEOUT", "1800"))
HUB_TASK_ABANDONED_ATTEMPTS = 3
# /healthz answers within this many seconds whatever is down; it warns when a task has waited longer
# than HUB_HEALTHZ_TASK_DELAY seconds for the worker.
HUB_HEALTHZ_TIMEOUT = 2.5
HUB_HEALTHZ_TASK_DELAY = 300
# Finished task results are kept this many days (failed ones twice as long), then pruned.
HUB_TASK_RESULT_DAYS = int(os.environ.get("HUB_TASK_RESULT_DAYS", "14"))

# --- Security (tightened further in production.py) ---------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login lockout (django-axes), for 30 minutes: 5 failed passwords for one account from any
# addresses lock the account (changing address buys no guesses), and 5 from one address for any
# accounts lock the address (no spraying one password over many accounts). `manage.py
# axes_reset_username <name>` unlocks. The price: anyone can lock an account for the cool-off,
# which the second factor makes harmless to its security (SECURITY.md); and behind a proxy
# PROXY_COUNT must be right, or every visitor shares the proxy's address.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
# Reverse proxies in front of the app whose X-Forwarded-For is trusted (hub.ratelimit.client_address).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "hub.net.client_ip"
# Two-factor sign-in (TOTP) for every admin user: required in production (hub.two_factor).
HUB_ADMIN_2FA_REQUIRED = os.environ.get("HUB_ADMIN_2FA_REQUIRED", "false").lower() == "true"
OTP_TOTP_ISSUER = "Securing Smart Cities"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp, hub.middleware.ContentSecurityPolicyMiddleware): one
# policy for the public site, without any inline script or style...
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    }
}
# ...and one for the Wagtail admin: the strictest under which Wagtail 8 and wagtail-localize work.
HUB_ADMIN_PREFIX = "/admin/"
HUB_ADMIN_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-elem": [SELF, UNSAFE_INLINE],
        "style-src-attr": [NONE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],  # the preview panel frames the admin's preview view
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation -----------------------------------------------------------------
# Adding a language: append it here, then add locale/<code>/LC_MESSAGES/django.po.
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
WAGTAIL_I18N_ENABLED = True


def machine_translator():
    """Machine translation for translators, chosen by environment: DeepL, LibreTranslate, or none.

    LibreTranslate can be self-hosted next to the hub. Development and tests use
    wagtail-localize's dummy translator (see dev.py and test.py).
    """
    if os.environ.get("DEEPL_API_KEY"):
        return {
            "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
            "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_API_KEY"]},
        }
    if os.environ.get("LIBRETRANSLATE_URL"):
        return {
            "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
            "OPTIONS": {
                "LIBRETRANSLATE_URL": os.environ["LIBRETRANSLATE_URL"],
                "API_KEY": os.environ.get("LIBRETRANSLATE_API_KEY", ""),
            },
        }
    return None


if machine_translator():
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator()
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LANGUAGE_COOKIE_NAME = "hub_language"

# --- Static and media ---------------------------------------------------------------------
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("HUB_STATIC_ROOT") or BASE_DIR / "static")
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("HUB_MEDIA_ROOT") or BASE_DIR / "media")
# Where visitors fetch image renditions: nginx serves /media/images/ from the disk or the bucket;
# a CDN in front of the bucket's images/ gives an absolute URL here (and in the CSP's img-src).
MEDIA_URL = os.environ.get("HUB_MEDIA_URL", "/media/")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000


def media_storage():
    """Uploads (images, renditions, documents) on this host's disk or in an S3-compatible bucket.

    HUB_MEDIA_STORAGE=s3 shares them between any number of app servers: bucket, endpoint, region
    and credentials come from the environment (AWS_*). Documents are still served by the hub's
    permission-checking view (WAGTAILDOCS_SERVE_METHOD below), never by a bucket URL.
    """
    kind = os.environ.get("HUB_MEDIA_STORAGE", "local").strip().lower()
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"HUB_MEDIA_STORAGE must be 'local' or 's3', not {kind!r}.")
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("HUB_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (the bucket of the uploads).")
    return {
        "BACKEND": "hub.storage.S3MediaStorage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            # Never replace an object: a new upload with a taken name gets a new name, so rendition
            # URLs stay valid and a restore cannot clobber live files.
            "file_overwrite": False,
            "default_acl": None,  # the bucket policy decides (only images/ public, see deploy/)
            "querystring_auth": False,
        },
    }


STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
    # With shared storage nothing uploaded touches the app server's disk, not even a large
    # upload's temporary file: uploads are held in memory up to the largest size the hub accepts
    # (WAGTAILDOCS_MAX_UPLOAD_SIZE, 20 MB, plus the form around it).
    FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
    FILE_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Securing Smart Cities"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public address of the site (scheme, host, port): `migrate` gives it to the default Site, so
# canonical links, hreflang, the sitemap, feeds and calendars carry it (hub.site_address).
# Empty means WAGTAILADMIN_BASE_URL; `make run` sets it to the address it serves on.
HUB_PUBLIC_URL = os.environ.get("HUB_PUBLIC_URL", "")
# Wagtail's database search, ranked by the engine in one bounded query (hub.search_backends);
# PostgreSQL indexes and parses each language with its own text search configuration.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": (
            "hub.search_backends.postgres"
            if DATABASES["default"]["ENGINE"].endswith("postgresql")
            else "hub.search_backends.sqlite"
        ),
        "LANGUAGE_CONFIGS": {"en": "english", "es": "spanish", "fr": "french", "ar": "arabic"},
    }
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # always through the permission-checking view
# Behind nginx (deploy/), a document on local disk that passed the checks is sent by nginx
# (X-Accel-Redirect to its internal /protected-media/ location) instead of a Python worker.
# From a bucket, the hub streams it: never a bucket URL or a redirect.
if os.environ.get("HUB_X_ACCEL_REDIRECT", "").lower() == "true":
    SENDFILE_BACKEND = "hub.sendfile"
    HUB_X_ACCEL_PREFIX = "/protected-media/"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []  # every document downloads as an attachment, never renders inline
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False  # nothing may need the internet at run time
# No third-party requests from the admin: Gravatar would receive a hash of every admin's email.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Private pages and collections: restricted to signed-in users or groups, never a shared password.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# A front-end cache (Varnish, deploy/varnish/hub.vcl) in front of the app servers: every change
# that invalidates the page cache purges it (hub.frontend_cache). Its address, e.g. http://127.0.0.1:6081.
if os.environ.get("HUB_FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "hub.frontend_cache.BanBackend", "LOCATION": os.environ["HUB_FRONTEND_CACHE_URL"]}
    }
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Members-only pages send signed-out visitors to the admin's sign-in (with two-factor), then back.
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # a hung SMTP server must not hold the worker
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hub@securingsmartcities.org")

# --- Logs ---------------------------------------------------------------------------------
# One line per event (timestamp, level, logger, request id; method, path, status and duration for
# requests): readable text here, JSON lines in production (hub.logs, django-structlog).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = logging_config(json_output=False, level=LOG_LEVEL)
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # hub.logs binds the address hub.ratelimit trusts
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG  # one line per request: when it finished
DJANGO_STRUCTLOG_STATUS_4XX_LOG_LEVEL = logging.INFO  # a visitor's 404 is not a warning
# nginx's $request_id (X-Request-ID) becomes the app's, so its access log and ours share one id;
# hub.request_log replaces a value that is not a short token by a fresh id.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True
