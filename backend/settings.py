"""Django settings, read from the environment.

A ``.env`` file in the project root is loaded when present; variables already in
the real environment win over it. Every variable is listed in ``.env.example``.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import orjson
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from dotenv import load_dotenv

from backend import aws

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_rate(name: str, default: str) -> str:
    """A rate in DRF's syntax, e.g. "20/hour"."""
    value = os.environ.get(name) or default
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", value.strip()):
        raise ImproperlyConfigured(f"{name} must look like 20/hour (s, m, h or d), not {value!r}.")
    return value.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off; "
            "set it to a long random string (see .env.example)."
        )
    # pragma: allowlist nextline secret - public on purpose: debug mode only
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "backend.core",
    "backend.accounts",
    "backend.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backend.middleware.RequestBodyLimitMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "backend.exceptions.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

SQLITE_PATH = BASE_DIR / "backend" / "db" / "db.sqlite3"


def _database() -> dict:
    if os.environ.get("DATABASE_URL"):
        database = dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=600, conn_health_checks=True
        )
    elif aws.rds_configured():
        database = aws.rds_database() | {"CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}
    else:
        database = dj_database_url.parse(f"sqlite:///{SQLITE_PATH}")

    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Several gunicorn workers write to one file: WAL lets readers and a
        # writer overlap, IMMEDIATE takes the write lock when a transaction
        # starts (no deadlock upgrading a read lock), and the busy timeout
        # makes a second writer wait instead of failing with "database is locked".
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
        # A file, not memory, so that live-server threads and helper processes
        # in the tests each open their own connection to the same database;
        # one per test run, so that two runs never share it.
        database["TEST"] = {"NAME": str(SQLITE_PATH.with_name(f"test-{os.getpid()}.sqlite3"))}
    elif database["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast (and answer 503) when the server cannot be reached.
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return database


DATABASES = {"default": _database()}

# --- Auth ---------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["backend.accounts.backends.ThrottledModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins (API and admin) per username, and per client address; then 429.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_FAILURE_WINDOW = timedelta(minutes=env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15))
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 100)
LOGIN_IP_FAILURE_WINDOW = timedelta(hours=1)
REGISTER_RATE = env_rate("REGISTER_RATE", "20/hour")
# Where the counts live: the database by default, Redis when set (redis://host:6379/0).
REDIS_URL = os.environ.get("REDIS_URL", "")

# --- Internationalization -----------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (WhiteNoise) ------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "backend.web.storage.StaticFilesStorage"},
}

# --- Requests -----------------------------------------------------------------

# Bodies above this are refused with 413 by backend.middleware.RequestBodyLimitMiddleware.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Except POST /api/accounts/import/, which takes an export document up to this size.
DATA_IMPORT_MAX_BYTES = env_int("DATA_IMPORT_MAX_MB", 10) * 1024 * 1024
DATA_IMPORT_MAX_ROWS = env_int("DATA_IMPORT_MAX_ROWS", 50000)

# --- CORS and CSRF for the browser SPA ----------------------------------------

FRONTEND_ORIGINS = env_list("FRONTEND_ORIGINS", [])
BACKEND_ORIGINS = env_list("BACKEND_ORIGINS", [])
CORS_ALLOWED_ORIGINS = FRONTEND_ORIGINS
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = FRONTEND_ORIGINS + BACKEND_ORIGINS

# --- The web app (backend/web/) and its Content-Security-Policy ----------------

# Where the web app calls the API: empty for its own origin, else an origin such
# as https://api.example.com (that server lists this one in FRONTEND_ORIGINS).
WEB_API_BASE = os.environ.get("WEB_API_BASE", "").strip().rstrip("/")
if WEB_API_BASE and not re.fullmatch(r"https?://[^/\s]+", WEB_API_BASE):
    raise ImproperlyConfigured(
        f"WEB_API_BASE must be an origin such as https://api.example.com, not {WEB_API_BASE!r}."
    )

# Every response: scripts and styles from this origin only, nothing inline, no
# eval, no frames, no plugins. The web app, the admin and the API's JSON all
# live with it. Images may come from https too: imported questions' content
# links pictures on their platform.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "https:", "data:"],
    "connect-src": [CSP.SELF, *([WEB_API_BASE] if WEB_API_BASE else [])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Swagger UI's page loads its script from a URL (backend/swagger.py), but
# drf-spectacular's template holds an inline style; that page allows inline styles.
SWAGGER_CSP = SECURE_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

# --- Production hardening -----------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the SPA reads csrftoken to send it back as X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The API sends no mail; an explicit mailer keeps Django 6.1's deploy checks quiet.
MAILERS = {
    "default": {
        "BACKEND": (
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend"
        )
    }
}

# --- Django REST Framework and the OpenAPI schema -----------------------------

REST_FRAMEWORK = {
    # Personal API tokens first: DRF asks the first class for the 401 challenge
    # (see BearerTokenAuthentication); sessions keep their CSRF check.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "backend.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "backend.core.pagination.OptionalLimitOffsetPagination",
    # Dates and datetimes go to the renderer as they are, and orjson writes them in C: the
    # same ISO 8601 text as DRF's (with "Z" for UTC), without a time zone lookup per value.
    "DATETIME_FORMAT": None,
    "DATE_FORMAT": None,
    # DRF keys a list item's errors by its index: {"tag_ids": {0: [...]}}.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS, orjson.OPT_UTC_Z),
    # orjson refuses nesting deeper than 1,024 levels with a parse error (a 400), where the
    # standard library's parser would exhaust the stack.
    "DEFAULT_PARSER_CLASSES": ["drf_orjson_renderer.parsers.ORJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "backend.schema.AutoSchema",
    "EXCEPTION_HANDLER": "backend.exceptions.exception_handler",
    # How many proxies in front of the app append to X-Forwarded-For; 0 trusts none.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Interview Questions API",
    "DESCRIPTION": (
        "Keep coding-interview questions, log every attempt and see per-question aggregates."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so that a generated client's
    # request models hold only the fields a client may send.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"withCredentials": True},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "backend.schema.describe_components",
    ],
}

# --- Background tasks (Django's Tasks framework) -------------------------------

# "database" (default): django-tasks-db keeps the queue in the database and
# `manage.py db_worker` runs it; "immediate" runs each task inline, in the request
# (tests, single-process demos). A dotted path selects any other backend class.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip() or "database"
if TASKS_BACKEND not in TASK_BACKENDS and "." not in TASKS_BACKEND:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database, immediate or a backend's dotted path, "
        f"not {TASKS_BACKEND!r}."
    )
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND),
        "QUEUES": ["default"],
    }
}

# --- Imports from coding platforms and CSV files (backend/core/imports/) ---------

CODEWARS_API_URL = os.environ.get("CODEWARS_API_URL") or "https://www.codewars.com/api/v1"
LEETCODE_GRAPHQL_URL = os.environ.get("LEETCODE_GRAPHQL_URL") or "https://leetcode.com/graphql"
CODEFORCES_API_URL = os.environ.get("CODEFORCES_API_URL") or "https://codeforces.com/api"
# Seconds to open a connection and to wait for an answer, per call.
IMPORT_CONNECT_TIMEOUT = env_int("IMPORT_CONNECT_TIMEOUT", 5)
IMPORT_READ_TIMEOUT = env_int("IMPORT_READ_TIMEOUT", 30)
# Retries after a connection error, a timeout, a 429 or a 5xx; the waits double
# from IMPORT_RETRY_BACKOFF seconds (or follow Retry-After) and, per call, add up
# to at most IMPORT_RETRY_MAX_SECONDS.
IMPORT_MAX_RETRIES = env_int("IMPORT_MAX_RETRIES", 2)
IMPORT_RETRY_BACKOFF = env_int("IMPORT_RETRY_BACKOFF", 1)
IMPORT_RETRY_MAX_SECONDS = env_int("IMPORT_RETRY_MAX_SECONDS", 60)
# Pages of a user's completed list read per import (Codewars: 200 problems a page,
# Codeforces: 1000 submissions a page).
IMPORT_MAX_PAGES = env_int("IMPORT_MAX_PAGES", 50)
# Pages of 20 submissions read of a LeetCode history (with the user's session cookie).
LEETCODE_MAX_PAGES = env_int("LEETCODE_MAX_PAGES", 1000)
# The most one answer may weigh (decompressed), and the most seconds it may take to
# arrive in full: beyond either the import stops with a sentence.
IMPORT_MAX_RESPONSE_BYTES = env_int("IMPORT_MAX_RESPONSE_MB", 32) * 1024 * 1024
IMPORT_RESPONSE_SECONDS = env_int("IMPORT_RESPONSE_SECONDS", 60)
# A queued or running import that has not moved for this long lost its worker;
# a new request for the same platform then replaces it.
IMPORT_STALE_MINUTES = env_int("IMPORT_STALE_MINUTES", 30)

# manage.py sync_imports imports a kept account again once its last sync is this old, plus
# a fixed offset of up to IMPORT_SYNC_SPREAD_MINUTES per account, so that a platform is
# not called for every user in the same minute.
IMPORT_SYNC_INTERVAL_HOURS = env_int("IMPORT_SYNC_INTERVAL_HOURS", 24)
IMPORT_SYNC_SPREAD_MINUTES = env_int("IMPORT_SYNC_SPREAD_MINUTES", 60)
# POST /api/import/csv/: the largest file (a larger one is a 413) and the most rows.
CSV_IMPORT_MAX_BYTES = env_int("CSV_IMPORT_MAX_MB", 2) * 1024 * 1024
CSV_IMPORT_MAX_ROWS = env_int("CSV_IMPORT_MAX_ROWS", 5000)

# --- Logging ------------------------------------------------------------------

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "console"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"level": LOG_LEVEL},
        # SQL with its parameters would reveal session keys and password hashes.
        "django.db.backends": {"level": "INFO"},
        "backend.core.views": {"level": LOG_LEVEL},
    },
}
