"""Django settings, derived from the one configuration object (``configuration.settings``).

Nothing here reads the environment directly: every knob is a ``SOZIALATLAS_*`` variable
documented in ``configuration/settings.py`` and the README.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from api.catalogues import compile_catalogues
from configuration.endpoints import endpoints, smtp_endpoint
from configuration.languages import UI_LANGUAGES
from configuration.rates import check_rate
from configuration.settings import ConfigError, installed
from directory.confirm_config import confirm_config
from directory.inquiry_config import inquiry_config
from indexer.settings import indexer_settings

CONFIG = installed()  # what the entry point (CLI, WSGI, Celery) was configured with
check_rate("rate_limit_anon", CONFIG.rate_limit_anon)
check_rate("rate_limit_partner", CONFIG.rate_limit_partner)
check_rate("rate_limit_partner_client", CONFIG.rate_limit_partner_client)
check_rate("rate_limit_bad_keys", CONFIG.rate_limit_bad_keys)
check_rate("rate_limit_inquiry_client", CONFIG.rate_limit_inquiry_client)
check_rate("rate_limit_inquiry_provider", CONFIG.rate_limit_inquiry_provider)
check_rate("rate_limit_report_client", CONFIG.rate_limit_report_client)
check_rate("rate_limit_report_entry", CONFIG.rate_limit_report_entry)
ENDPOINTS = endpoints(CONFIG)
INDEXER = indexer_settings(CONFIG)
BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = CONFIG.state_path

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = [host.strip() for host in CONFIG.allowed_hosts.split(",") if host.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # its templates render /sitemap.xml (api.web.sitemaps)
    "axes",
    "simple_history",  # the change history of the records (directory.history)
    "directory",  # the directory's data (its app label stays "api")
    "api.apps.ApiConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "api.middleware.RequestLimitsMiddleware",
    "api.middleware.PartnerCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who changed a record
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "api.urls"
WSGI_APPLICATION = "api.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

_database_url = CONFIG.database_url or f"sqlite:///{STATE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The API and the workers share the file: WAL lets readers and one writer coexist.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": ENDPOINTS.redis_url,
        "KEY_PREFIX": CONFIG.index_prefix,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "de"  # the interface's source language and fallback (api/messages.py)
LANGUAGES = [(code, code) for code in UI_LANGUAGES]
# The gettext catalogues (api/locale/<lang>/LC_MESSAGES/django.po) compiled into the state
# directory whenever a .po changed, before any translation is loaded: every entry point (CLI,
# WSGI, Celery, tests, the image) has them without a build step; .mo files are never committed.
LOCALE_PATHS = [compile_catalogues(target=STATE_DIR / "locale")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = STATE_DIR / "static"  # for `collectstatic` in deployments; whitenoise also
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # serves from the apps (finders) without it
# The public pages' assets (api/static) are served by WhiteNoise straight from the app
# directories, so no collectstatic step is needed; files whose names carry a version
# (site-v1.css, search-v1.js) are cached for a year, the rest (the partner widget) briefly.
WHITENOISE_USE_FINDERS = True
WHITENOISE_IMMUTABLE_FILE_TEST = r"-v\d+\.(?:css|js)$"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Inquiry tokens in paths are credentials: redacted in every record (api/log_redaction.py).
    "filters": {"tokens": {"()": "api.log_redaction.TokenRedaction"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["tokens"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # django-axes would name the client in its messages; lock-outs show in the admin's 403.
    "loggers": {
        "sozialatlas": {"level": "INFO"},
        "axes": {"level": "ERROR"},
        # Django's "Not Found: <path>" reaches its own (debug) console handler first.
        "django.request": {"filters": ["tokens"]},
    },
}

# --- Admin login: brute-force protection (django-axes), counted in the cache, not the DB ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = CONFIG.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=CONFIG.login_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client as an HMAC under the secret key, as for rate limits: no address in the cache.
AXES_CLIENT_IP_CALLABLE = "api.ratelimit.client_digest"

# --- Security (production defaults; `manage.py check --deploy` is clean with debug off) ---
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = CONFIG.ssl_redirect and not DEBUG
# Health probes of the container run speak plain HTTP inside the host; everything else is
# redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else CONFIG.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.hsts_preload
SECURE_HSTS_PRELOAD = CONFIG.hsts_preload
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if CONFIG.trusted_proxies > 0:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Which X-Forwarded-For entry is the client (rate limits only; the address is never stored).
NINJA_NUM_PROXIES = CONFIG.trusted_proxies

# --- Request limits and rate limits ---
DATA_UPLOAD_MAX_MEMORY_SIZE = CONFIG.max_body_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = CONFIG.max_body_bytes
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
MAX_QUERY_STRING = CONFIG.max_query_string
RATE_LIMIT_ANON = CONFIG.rate_limit_anon
RATE_LIMIT_PARTNER = CONFIG.rate_limit_partner
RATE_LIMIT_PARTNER_CLIENT = CONFIG.rate_limit_partner_client
RATE_LIMIT_BAD_KEYS = CONFIG.rate_limit_bad_keys
RATE_LIMIT_INQUIRY_CLIENT = CONFIG.rate_limit_inquiry_client
RATE_LIMIT_INQUIRY_PROVIDER = CONFIG.rate_limit_inquiry_provider
RATE_LIMIT_REPORT_CLIENT = CONFIG.rate_limit_report_client
RATE_LIMIT_REPORT_ENTRY = CONFIG.rate_limit_report_entry
FRESHNESS_STALE_MONTHS = CONFIG.freshness_stale_months
INQUIRY_MIN_FILL_SECONDS = CONFIG.inquiry_min_fill_seconds
INQUIRY_MAX_LINKS = CONFIG.inquiry_max_links
CORS_PUBLIC_ORIGINS = [
    o.strip().rstrip("/").lower() for o in CONFIG.cors_public_origins.split(",") if o.strip()
]

# --- Outgoing mail (inquiries, directory/outbox.py): Django's SMTP backend, one relay ---
# Empty SOZIALATLAS_SMTP_HOST is the local server of `sozialatlas services up` (aiosmtpd,
# keeps every message under the state directory); production names its relay.
if CONFIG.smtp_tls and CONFIG.smtp_ssl:
    raise ConfigError("SOZIALATLAS_SMTP_TLS and SOZIALATLAS_SMTP_SSL exclude each other")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST, EMAIL_PORT = smtp_endpoint(CONFIG)
EMAIL_HOST_USER = CONFIG.smtp_user
EMAIL_HOST_PASSWORD = CONFIG.smtp_password
EMAIL_USE_TLS = CONFIG.smtp_tls
EMAIL_USE_SSL = CONFIG.smtp_ssl
EMAIL_TIMEOUT = CONFIG.smtp_timeout
DEFAULT_FROM_EMAIL = SERVER_EMAIL = CONFIG.mail_from
# The inquiry workflow's part of the configuration; a malformed key stops start-up here.
INQUIRIES = inquiry_config(CONFIG)
# The confirmation cycle's (issue 15): periods, link lifetime, the outbox's mail settings.
CONFIRMATIONS = confirm_config(CONFIG)
