"""Settings for the literature portal: one module, every deployment choice read from the environment.

Production-safe by default (debug off, secure cookies, HSTS, SSL redirect); development conveniences
are switched on by the environment (`make run` sets DJANGO_DEBUG=1), never by editing this file.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

from portal.environment import cache_from_url, database_from_url, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


def secret_key_from_file(path):
    """A random key kept beside the code, made once per checkout, so that a fresh clone needs no
    shared default secret. Development only: production servers must share DJANGO_SECRET_KEY."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Several servers each making their own key would break every session and CSRF token behind
        # a load balancer, silently: refuse instead.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With debug off (production) every server must use the same "
            "secret key: set DJANGO_SECRET_KEY to a long random value, the same on all servers (make one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`). For development set DJANGO_DEBUG=1."
        )
    SECRET_KEY = secret_key_from_file(BASE_DIR / ".dev-secret-key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "literature",
]

# Under /api/ a CSRF failure answers with the API's JSON error body (literature/api/errors.py).
CSRF_FAILURE_VIEW = "literature.api.errors.csrf_failure"

MIDDLEWARE = [
    # Probes first: no host check, HTTPS redirect, session or throttle in their way (portal/health.py).
    "portal.health.HealthCheckMiddleware",
    "portal.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in the project folder by default; PostgreSQL with DATABASE_URL=postgres://user:pass@host:port/name,
# with Django's options in its query string (portal/environment.py): ?pool=true&pool_max_size=8 for a
# psycopg pool per process, or ?conn_max_age=600&conn_health_checks=true for kept connections.
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while a curator or an import writes; IMMEDIATE avoids the
        # "database is locked" errors of deferred transactions that upgrade to writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # A writer waits this long for another writer's transaction to end before "database is locked".
        "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 30),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a login that is locked out before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Login throttling (admin and every other login form): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked out for the cool-off time, the right password included.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Uploaded import files (never served to the public: the admin hands them to curators).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Snapshots of the public record (manage.py export_snapshot), served at /snapshots/latest/.
SNAPSHOT_ROOT = Path(os.environ.get("PORTAL_SNAPSHOT_ROOT", MEDIA_ROOT / "snapshots"))
# The portal's public address, for links written outside a request (snapshots).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# OAI-PMH (/oai/, literature/oai/): the repository's name and contact as Identify gives them, and the
# namespace of its record identifiers (oai:<namespace>:<article id>). Harvesters key records on these
# identifiers, so a production portal sets the namespace once (its domain name) and keeps it.
PORTAL_NAME = os.environ.get("PORTAL_NAME", "Literature portal")
PORTAL_OAI_NAMESPACE = os.environ.get("PORTAL_OAI_NAMESPACE", "literature-portal.invalid")
PORTAL_ADMIN_EMAIL = os.environ.get("PORTAL_ADMIN_EMAIL", f"curators@{PORTAL_OAI_NAMESPACE}")
OAI_PAGE_SIZE = env_int("PORTAL_OAI_PAGE_SIZE", 100)  # records, headers or sets per response

# Curation governance (literature/curation/governance.py): with this on, an article must be approved
# by a curator other than the one who last edited it (four eyes). Reasons for rejections, withdrawals
# and change comments are kept whole in the history, not cut at django-simple-history's 100 characters.
PORTAL_APPROVAL_BY_ANOTHER_CURATOR = env_bool("PORTAL_APPROVAL_BY_ANOTHER_CURATOR", False)
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background tasks: queued in the database, run by `manage.py db_worker` (make run starts one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Uploads up to this size import during the request; larger ones in the background with progress.
IMPORT_INLINE_MAX_BYTES = env_int("IMPORT_INLINE_MAX_BYTES", 2 * 2**20)
# Limits on what one upload or one record may hold (literature/values/limits.py), each named when refused.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 512 * 2**20)  # as deploy/nginx/ lets through
MAX_TITLE_CHARS = env_int("PORTAL_MAX_TITLE_CHARS", 2_000)
MAX_ABSTRACT_CHARS = env_int("PORTAL_MAX_ABSTRACT_CHARS", 100_000)
MAX_AUTHORS = env_int("PORTAL_MAX_AUTHORS", 5_000)
# One record of an import file (the largest real PubMed records, thousands of authors with
# affiliations, are about 2 MB; the shared samples' largest is 90 kB).
MAX_RECORD_BYTES = env_int("PORTAL_MAX_RECORD_BYTES", 5 * 2**20)
MAX_QUERY_CHARS = env_int("PORTAL_MAX_QUERY_CHARS", 500)
MAX_PAGE_SIZE = env_int("PORTAL_MAX_PAGE_SIZE", 100)  # API results per page

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production (run collectstatic); plain files while developing.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Facet counts, drug profiles, rendered citations and API throttle counters live in the default cache.
# DJANGO_CACHE_URL=redis://host:6379/0 shares one Redis between every process and server (what a
# deployment with more than one process wants: otherwise each process counts throttles and caches
# pages on its own); without it, each process keeps its own in memory (or DJANGO_CACHE_DIR, a file cache).
_cache_entries = env_int("DJANGO_CACHE_MAX_ENTRIES", 50_000)
if os.environ.get("DJANGO_CACHE_URL"):
    _default_cache = cache_from_url(os.environ["DJANGO_CACHE_URL"], _cache_entries)
elif os.environ.get("DJANGO_CACHE_DIR"):
    _default_cache = cache_from_url(f"file://{os.environ['DJANGO_CACHE_DIR']}", _cache_entries)
else:
    _default_cache = cache_from_url("locmem://", _cache_entries)
CACHES = {
    "default": _default_cache,
    # Progress of running imports, written by the worker, read by the web servers: the shared cache when
    # there is one, else small files (one per running import) that every process on this machine sees.
    "import-progress": {**_default_cache, "KEY_PREFIX": "import-progress"}
    if _default_cache["BACKEND"].endswith("RedisCache")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DJANGO_IMPORT_PROGRESS_DIR", str(BASE_DIR / ".import-progress")),
    },
}

# How long a cached aggregate may be served after the corpus changed while a thread recomputes it
# (stale-while-revalidate); 0 serves nothing stale.
CACHE_STALE_SECONDS = env_int("DJANGO_CACHE_STALE_SECONDS", 60)
# A stale aggregate younger than this is served without being recomputed (at most one recomputation of
# each in this time while writes keep coming); 0 recomputes after every change.
CACHE_REFRESH_SECONDS = env_int("DJANGO_CACHE_REFRESH_SECONDS", 10)

# Security: safe values unless the environment says otherwise (a TLS-terminating proxy, say).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): scripts, styles and images from this site only, nothing inline
# but JSON-LD data blocks (which are not scripts); no framing, no plugins, forms post here only.
# One inline style is allowed by its hash: django-simple-history's history paginator ("border-top: 0").
# The API docs (Swagger UI) also set styles inline: allowed on that page alone (literature/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "literature.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "literature.api.pagination.HybridPagination",
    "DEFAULT_SCHEMA_CLASS": "literature.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "literature.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "user": os.environ.get("API_USER_RATE", "3000/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # How many proxies in front of us append to X-Forwarded-For (1 behind nginx). 0: the header is ignored,
    # so a client cannot make itself a new anonymous client for the throttle by sending one.
    "NUM_PROXIES": env_int("DJANGO_NUM_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Literature portal API",
    "DESCRIPTION": "The curated record of research articles on drugs: read for everyone, write for curators "
    "with a token (Authorization: Bearer lit_...).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PublicationStatusEnum": "literature.models.PublicationStatus",
        "LinkStatusEnum": "literature.models.LinkStatus",
        "LinkSourceEnum": "literature.models.LinkSource",
        "CurationStateEnum": "literature.models.CurationState",
    },
}

# One line per record with time, level, logger and the request id (portal/request_id.py); one JSON object
# per line with DJANGO_LOG_FORMAT=json, for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "portal.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if os.environ.get("DJANGO_LOG_FORMAT", "text") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own records reach the console through the root logger, once.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        # Not the "AXES: BEGIN" banner at every start of every command; lockouts are warnings and stay.
        "axes.apps": {"level": "WARNING"},
    },
}
if os.environ.get("DJANGO_LOG_FORMAT", "text") not in {"text", "json"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be text or json.")

# Where the tests find the shared real-world sample files (PubMed XML, RIS, BibTeX, ...).
SHARED_DATA_DIR = Path(os.environ.get("PORTAL_SHARED_DATA_DIR", BASE_DIR.parent / "shared" / "data"))
