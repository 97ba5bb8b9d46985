"""Production: every secret comes from the environment, and the site refuses to start without it."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_list, logging_config


def require_env(name, hint):
    """Return an environment variable, or stop start-up with one sentence saying what is missing."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production ({hint}).")
    return value


if os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("DEBUG must not be enabled with production settings; unset the DEBUG variable.")
DEBUG = False

SECRET_KEY = require_env(
    "SECRET_KEY", "a long random string, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(64))'`"
)
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [require_env("ALLOWED_HOSTS", "comma-separated host names")]
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith(".")]
WAGTAILADMIN_BASE_URL = require_env("WAGTAILADMIN_BASE_URL", "the public https:// address of the site")

# Redis when REDIS_URL is set, else the database cache of base.py: shared by every process either
# way, and failing open (hub.cache). Short socket timeouts keep a hung Redis from holding requests.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "hub.cache.FailOpenRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "hub",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "hub-renditions"}
# A per-process cache with the page cache on refuses to start (hub.cache.check_shared_cache).
HUB_REQUIRE_SHARED_CACHE = True


# Every admin user signs in with a second factor; only an operator can switch that off.
HUB_ADMIN_2FA_REQUIRED = os.environ.get("HUB_ADMIN_2FA_REQUIRED", "true").lower() != "false"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# HTTPS everywhere, cookies bound to the host.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-hub_language"
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = True
SERVER_EMAIL = DEFAULT_FROM_EMAIL  # noqa: F405

# Info lines (one per request) are written in batches at most this late, as nginx's access_log
# buffer= does; warnings and errors at once, with everything before them (hub.logs.BufferedStreamHandler).
_flush = os.environ.get("LOG_FLUSH_SECONDS", "1").strip()
try:
    LOG_FLUSH_SECONDS = float(_flush)
except ValueError:
    LOG_FLUSH_SECONDS = -1.0
if not 0 <= LOG_FLUSH_SECONDS <= 60:
    raise ImproperlyConfigured(
        f"LOG_FLUSH_SECONDS must be a number of seconds from 0 (every line at once) to 60, not {_flush!r}."
    )
LOGGING = logging_config(json_output=True, level=LOG_LEVEL, flush_seconds=LOG_FLUSH_SECONDS)  # noqa: F405 - JSON lines
