"""Settings for satuatap. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url

from satuatap.env import BadSetting, allowed_hosts, env_bool, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SATUATAP_VAR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "demo-only-insecure-secret-key-change-me-in-production")
# HOST is the address the demo binds (Procfile, Makefile): 127.0.0.1 by default; HOST=0.0.0.0 serves
# kiosks and TVs on the mall's network, and then ALLOWED_HOSTS follows this machine's names unless set.
HOST = env_str("HOST", "127.0.0.1")
ALLOWED_HOSTS = allowed_hosts(env_str("ALLOWED_HOSTS", ""), HOST)
CSRF_TRUSTED_ORIGINS = [o for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from the installed package, not a CDN
    "simple_history",
    "channels",
    "satuatap.accounts",
    "satuatap.directory",
    "satuatap.mallsite",  # the mall's public site and the directory's web side (pages, API, admin)
    "satuatap.queueing",
    "satuatap.audit",
    "satuatap.reports",
    "satuatap.complaints",
    "satuatap.feedback",
    "satuatap.booking",
    "satuatap.notify",
    "satuatap.project",  # the project level: the worker and the demo loader (docs/architecture.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "satuatap.accounts.language.ChosenLanguageMiddleware",  # LocaleMiddleware without Accept-Language
    "satuatap.badinput.RefuseNulMiddleware",  # a %00 would be a 500 on PostgreSQL
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "satuatap.accounts.middleware.DeviceTokenMiddleware",
    "satuatap.refusal.RefusalMiddleware",  # a refusal no page caught: its 404/403 or error page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "satuatap.urls"
WSGI_APPLICATION = "satuatap.wsgi.application"
ASGI_APPLICATION = "satuatap.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "satuatap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "satuatap.context.live_settings",
            ],
        },
    },
]

# SQLite is the embedded default: WAL so readers never wait for the writer, and
# IMMEDIATE transactions so a transaction takes the write lock when it starts
# (two officers calling at once queue up instead of failing on lock upgrade).
SQLITE_PATH = VAR_DIR / "satuatap.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(SQLITE_PATH)}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not shared-cache memory: threads in the concurrency
    # tests then see the same WAL locking as production processes do.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Live channel. With REDIS_URL every process publishes through Redis. Without it
# (the embedded default) web and worker processes write LiveEvent rows and the
# single ASGI process relays them to its in-memory layer: see docs/architecture.md.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("CHANNELS_PREFIX", "satuatap")},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Where browsers open the WebSocket: the same host on LIVE_WS_PORT (the
# one-command demo serves /ws/ from its own uvicorn port); empty means same
# origin, as behind nginx in production.
LIVE_WS_PORT = env_str("LIVE_WS_PORT", "")
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 1)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "satuatap" / "static"]  # project-wide assets (base.css, live.js, screens)
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Public read endpoints: requests per minute per client address.
PUBLIC_RATE_LIMIT = env_int("PUBLIC_RATE_LIMIT", 600)
SKM_LINK_HOURS = env_int("SKM_LINK_HOURS", 72)  # how long after service the survey link works
SKM_TABLET_MINUTES = env_int("SKM_TABLET_MINUTES", 15)  # how long the counter tablet offers the survey
COMPLAINT_VERIFY_WORKING_DAYS = env_int("COMPLAINT_VERIFY_WORKING_DAYS", 3)  # received -> verified
COMPLAINT_FOLLOW_UP_WORKING_DAYS = env_int("COMPLAINT_FOLLOW_UP_WORKING_DAYS", 5)  # forwarded -> answered
COMPLAINT_REOPEN_DAYS = env_int("COMPLAINT_REOPEN_DAYS", 14)  # the complainant may reopen an answer
# New complaints per client address per hour (form and API together): enough for a family, few for a spammer.
COMPLAINT_FILE_LIMIT_PER_HOUR = env_int("COMPLAINT_FILE_LIMIT_PER_HOUR", 5)
# Trusted reverse proxies (nginx) in front of the app that append to X-Forwarded-For; 0 trusts none.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "mpp-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
WHITENOISE_USE_FINDERS = True  # tests and demo work before collectstatic

# Personal data (NIK, phone numbers; UU 27/2022): a keyed hash for lookups and an
# encrypted value for the rare screen that must show it. Production sets both keys;
# the fallbacks derived from SECRET_KEY are for the demo and tests only.
PERSONAL_DATA_HASH_KEY = env_str("PERSONAL_DATA_HASH_KEY", "")
PERSONAL_DATA_ENCRYPTION_KEY = env_str("PERSONAL_DATA_ENCRYPTION_KEY", "")

# Notifications (satuatap/notify). Sandbox mode (the default: demo and tests) never sends to a real
# number or address: every message goes to the console/file channel and its row says so. Production
# sets NOTIFY_SANDBOX=false explicitly, NOTIFY_SMS_CHANNEL=webhook and the gateway URL and token.
NOTIFY_SANDBOX = env_bool("NOTIFY_SANDBOX", True)
NOTIFY_SMS_CHANNEL = env_str("NOTIFY_SMS_CHANNEL", "console")  # "console" | "webhook"
if NOTIFY_SMS_CHANNEL not in ("console", "webhook"):
    raise BadSetting(f"NOTIFY_SMS_CHANNEL must be console or webhook, got {NOTIFY_SMS_CHANNEL!r}")
NOTIFY_GATEWAY_URL = env_str("NOTIFY_GATEWAY_URL", "")
NOTIFY_GATEWAY_TOKEN = env_str("NOTIFY_GATEWAY_TOKEN", "")
NOTIFY_GATEWAY_TIMEOUT = env_int("NOTIFY_GATEWAY_TIMEOUT", 10)  # seconds
NOTIFY_FILE = env_str("NOTIFY_FILE", str(VAR_DIR / "notify-outbox.jsonl"))  # the console/file channel's JSON lines
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6)
NOTIFY_BASE_URL = env_str("NOTIFY_BASE_URL", "http://127.0.0.1:8000")  # links in messages start with this
_EMAIL_DEFAULT = "console" if NOTIFY_SANDBOX else "smtp"  # the sandbox prints mail, never sends it
EMAIL_BACKEND = env_str("EMAIL_BACKEND", f"django.core.mail.backends.{_EMAIL_DEFAULT}.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "satuatap <noreply@localhost>")

# Private files (complaint attachments): outside STATIC_ROOT and never served by the web server; only views that
# check the reader's scope send them (as downloads).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
COMPLAINT_ATTACHMENT_MAX_BYTES = env_int("COMPLAINT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
# A file past that size is dropped while it is read, never spooled to disk (see satuatap/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "satuatap.uploads.SizeCapUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # one attachment per complaint; Django's default of 100 only invites abuse
