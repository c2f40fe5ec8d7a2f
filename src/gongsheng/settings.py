"""Django settings for Gongsheng.

Everything that differs between installations comes from the environment:

``GONGSHENG_DATA``
    The data directory (SQLite file, uploads, the generated secret key); default ``./var``.
``GONGSHENG_ENV``
    ``production`` turns on the deployment hardening (HTTPS-only cookies, HSTS, proxy headers);
    anything else (default ``local``) is the embedded single-machine setup served by waitress.
``DATABASE_URL``
    e.g. ``postgres://user:pass@host:5432/gongsheng``; default: SQLite in the data directory.
``GONGSHENG_SECRET_KEY``
    The secret key; when unset, one is generated once into the data directory.
``GONGSHENG_ALLOWED_HOSTS``
    Comma-separated host names; default ``127.0.0.1,localhost``.
``GONGSHENG_SESSION_IDLE_MINUTES``
    Idle session timeout (default 30 minutes, in the spirit of graded protection level 2).
``GONGSHENG_LOGIN_ATTEMPTS`` / ``GONGSHENG_LOCKOUT_MINUTES``
    Failed logins before a lockout (default 5) and its length (default 30 minutes).
``GONGSHENG_UPLOAD_MAX_MB``
    The largest upload (default 20 MB).
``GONGSHENG_IMPORT_MAX_UNPACKED_MB``, ``GONGSHENG_IMPORT_MAX_ROWS``, ``GONGSHENG_IMPORT_MAX_CELLS``
    What one imported table may hold: unpacked size of an .xlsx/.ods (default 200 MB), rows
    (default 100,000) and cells (default 2,000,000). Reading stops at the limit.
``GONGSHENG_MIN_GROUP_UNITS``
    Aggregates by unit type or group shown to users who may not see the units' own records
    (observers, other units) leave out groups of fewer units than this (default 3).
``GONGSHENG_EMAIL_HOST`` / ``_PORT`` / ``_USER`` / ``_PASSWORD`` / ``_TLS`` / ``_SSL`` / ``_FROM``
    Outgoing mail (notifications). With a host, mail goes by SMTP (port default 25; ``_TLS=1``
    for STARTTLS, ``_SSL=1`` for implicit TLS); without one it is printed on the console (the
    embedded demo). ``_FROM`` is the sender address (default ``gongsheng@localhost``).
``GONGSHENG_SITE_URL``
    The address people open the platform at (``https://gongsheng.example.cn``); mail and chat
    messages carry links under it. Default: no links in messages.
``GONGSHENG_WECOM_URL`` / ``GONGSHENG_DINGTALK_URL`` / ``GONGSHENG_FEISHU_URL``
    The chat service's address for private deployments (企业微信私有化部署, an intranet gateway);
    default the public services. ``GONGSHENG_CHAT_TIMEOUT`` seconds per message (default 5).
``GONGSHENG_IMPORT_INLINE_ROWS`` / ``GONGSHENG_EXPORT_INLINE_ROWS``
    Imports of more rows than the first (default 500) and exports of more rows than the
    second (default 2,000) run as background jobs with progress on the page that started
    them; smaller ones stay in the request. An export job's file is downloaded only by the
    user who asked for it.
``GONGSHENG_INVITATION_DAYS``
    How long the link of an invitation to a new account works (default 7 days).
``GONGSHENG_JOB_LEASE_SECONDS``
    A running job whose worker has not written a heartbeat for this long is taken to be
    lost and is run again (default 60; the worker writes one every third of it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGSHENG_DATA", "var")).resolve()
ENVIRONMENT = os.environ.get("GONGSHENG_ENV", "local")
PRODUCTION = ENVIRONMENT == "production"
TESTING = os.environ.get("GONGSHENG_TESTING") == "1"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:  # a clear message at start-up beats a traceback later
        raise RuntimeError(f"{name} must be an integer, got {raw!r}") from exc


def _secret_key() -> str:
    key = os.environ.get("GONGSHENG_SECRET_KEY")
    if key:
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # created once per installation, readable by its owner only
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("GONGSHENG_DEBUG") == "1" and not PRODUCTION
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GONGSHENG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "gongsheng.core",
    "gongsheng.audit",
    "gongsheng.access",
    "gongsheng.notifications",
    "gongsheng.alerts",
    "gongsheng.transfer",
    "gongsheng.documents",
    "gongsheng.attachments",
    "gongsheng.metrics",
    "gongsheng.declare",
    "gongsheng.jobs",
    "gongsheng.consortia",
    "gongsheng.ledger",
    "gongsheng.cooperation",
    "gongsheng.sharing",
    "gongsheng.diagnosis",
    "gongsheng.environment",
    "gongsheng.distribution",
    "gongsheng.modelling",
    "gongsheng.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongsheng.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongsheng.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongsheng.urls"
CSRF_FAILURE_VIEW = "gongsheng.web.errors.csrf_failure"  # in the layout and the user's language
WSGI_APPLICATION = "gongsheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongsheng.web.context.navigation",
                "gongsheng.notifications.context.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
_SQLITE_OPTIONS = {
    # writes take the lock at BEGIN, so read-then-write services cannot interleave
    # (select_for_update() is a no-op on SQLite)
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "gongsheng.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongsheng.access.passwords.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = _env_int("GONGSHENG_LOGIN_ATTEMPTS", 5)
AXES_COOLOFF_TIME = _env_int("GONGSHENG_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = os.environ.get("GONGSHENG_AXES", "1") == "1"

SESSION_IDLE_MINUTES = _env_int("GONGSHENG_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy of every response (core.middleware.ContentSecurityPolicyMiddleware;
# decision 0805): scripts only from our static files, no inline script, no eval; <style>
# elements only from files, style attributes allowed (ECharts' tooltips and a few templates
# set them; they cannot run code or read the page); a response that sets its own policy
# (an uploaded workbook's report, sandboxed) keeps it.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-elem": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("GONGSHENG_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _env_int("GONGSHENG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in os.environ.get("GONGSHENG_CSRF_TRUSTED_ORIGINS", "").split(",") if o
    ]

# --- outgoing mail and chat (notifications) -------------------------------------------
EMAIL_HOST = os.environ.get("GONGSHENG_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = _env_int("GONGSHENG_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("GONGSHENG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGSHENG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("GONGSHENG_EMAIL_TLS") == "1"
EMAIL_USE_SSL = os.environ.get("GONGSHENG_EMAIL_SSL") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("GONGSHENG_EMAIL_FROM", "gongsheng@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
GONGSHENG_SITE_URL = os.environ.get("GONGSHENG_SITE_URL", "")
GONGSHENG_INVITATION_DAYS = max(1, _env_int("GONGSHENG_INVITATION_DAYS", 7))
GONGSHENG_CHAT_BASE_URLS = {
    "wecom": os.environ.get("GONGSHENG_WECOM_URL", ""),
    "dingtalk": os.environ.get("GONGSHENG_DINGTALK_URL", ""),
    "feishu": os.environ.get("GONGSHENG_FEISHU_URL", ""),
}
GONGSHENG_CHAT_TIMEOUT = _env_int("GONGSHENG_CHAT_TIMEOUT", 5)

# --- uploads --------------------------------------------------------------------------
UPLOAD_MAX_BYTES = _env_int("GONGSHENG_UPLOAD_MAX_MB", 20) * 1024 * 1024
# what one imported table may hold once unpacked (a small .xlsx can unpack to gigabytes)
IMPORT_MAX_UNPACKED_BYTES = _env_int("GONGSHENG_IMPORT_MAX_UNPACKED_MB", 200) * 1024 * 1024
IMPORT_MAX_ROWS = _env_int("GONGSHENG_IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_CELLS = _env_int("GONGSHENG_IMPORT_MAX_CELLS", 2_000_000)
IMPORT_MAX_PROBLEMS = 200  # problems listed in full; the rest are counted
# aggregates by unit type/group for users who may not see the units' records: smaller
# groups are suppressed (decision 0804)
GONGSHENG_MIN_GROUP_UNITS = _env_int("GONGSHENG_MIN_GROUP_UNITS", 3)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_ROOT = str(DATA_DIR / "uploads")
MEDIA_URL = "/media/"

# --- languages ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["gongsheng.core.formats"]  # zh-hans money with thousand separators
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = str(DATA_DIR / "static")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING
# collectstatic (run by `gongsheng serve` on a fresh install) compresses with brotli: keep only
# the hashed copies the pages link to and leave the API docs' source maps (10 MB) uncompressed,
# which cuts the first start from ~50 s to a few seconds of CPU
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# --- background jobs (gongsheng.jobs; django-tasks with its database backend) ------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
GONGSHENG_JOB_LEASE_SECONDS = max(5, _env_int("GONGSHENG_JOB_LEASE_SECONDS", 60))
#: finished jobs (and their files) are removed after this many days
GONGSHENG_JOB_RETENTION_DAYS = max(1, _env_int("GONGSHENG_JOB_RETENTION_DAYS", 14))
#: imports of more rows than this run as a background job with progress
GONGSHENG_IMPORT_INLINE_ROWS = max(1, _env_int("GONGSHENG_IMPORT_INLINE_ROWS", 500))
#: exports of more rows than this are written by a background job (the file: for its asker)
GONGSHENG_EXPORT_INLINE_ROWS = max(1, _env_int("GONGSHENG_EXPORT_INLINE_ROWS", 2000))

# --- the product ----------------------------------------------------------------------
GONGSHENG_AUDIT_RETENTION_DAYS = max(180, _env_int("GONGSHENG_AUDIT_RETENTION_DAYS", 365))
GONGSHENG_PAGE_SIZE = 50
NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# names shown in the page header; translated in templates
PRODUCT_NAME = _("Gongsheng")

if TESTING:
    # hashing is deliberately slow; tests create many users
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
