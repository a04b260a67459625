"""Settings for satuatap. Everything that differs between machines comes from the environment."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from satuatap.env import BadSetting, allowed_hosts, env_bool, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SATUATAP_VAR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# The demo and the tests set SATUATAP_DEMO=1 (make demo, the test settings, CI). Anything started
# without it is production: satuatap/project/production.py then refuses the demo secret, keys derived
# from it, the notification sandbox and cookies without Secure.
DEMO = env_bool("SATUATAP_DEMO", False)
DEMO_SECRET_KEY = "demo-only-insecure-secret-key-change-me-in-production"  # noqa: S105 (refused outside the demo)
SECRET_KEY = env_str("SECRET_KEY", "") or DEMO_SECRET_KEY
# HOST is the address the demo binds (Procfile, Makefile): 127.0.0.1 by default; HOST=0.0.0.0 serves
# kiosks and TVs on the mall's network, and then ALLOWED_HOSTS follows this machine's names unless set.
HOST = env_str("HOST", "127.0.0.1")
ALLOWED_HOSTS = allowed_hosts(env_str("ALLOWED_HOSTS", ""), HOST)
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env_str("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# HTTPS. Production behind nginx with TLS: SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (the header nginx
# sets; never set it without a proxy that overwrites it), SECURE_SSL_REDIRECT=true, SECURE_HSTS_SECONDS=31536000.
_PROXY_SSL_HEADER = env_str("SECURE_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https") if _PROXY_SSL_HEADER else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # the balancer probes over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Cookies only over HTTPS, except in the demo (served on http://127.0.0.1).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEMO)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEMO)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from the installed package, not a CDN
    "simple_history",
    "channels",
    "satuatap.accounts",
    "satuatap.directory",
    "satuatap.mallsite",  # the mall's public site and the directory's web side (pages, API, admin)
    "satuatap.queueing",
    "satuatap.audit",
    "satuatap.reports",
    "satuatap.evaluation",  # the PEKPPP instrument and evaluations (issue 13)
    "satuatap.complaints",
    "satuatap.feedback",
    "satuatap.booking",
    "satuatap.cases",  # the back office: cases after the counter, workflow per service, public tracking
    "satuatap.notify",
    "satuatap.project",  # the project level: the worker and the demo loader (docs/architecture.md)
]

# satuatap.pagesonly: the session, authentication, message, htmx and history middleware work for pages only;
# a JSON API call (/api/, bearer tokens) passes through them untouched (measured in bench/stack_cost.py).
MIDDLEWARE = [
    "satuatap.logs.RequestLogMiddleware",  # first: every line of a request carries its X-Request-ID
    "django.middleware.security.SecurityMiddleware",
    "satuatap.csp_header.CSPMiddleware",  # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "satuatap.pagesonly.SessionMiddleware",
    "satuatap.accounts.language.ChosenLanguageMiddleware",  # LocaleMiddleware without Accept-Language
    "satuatap.badinput.RefuseNulMiddleware",  # a %00 would be a 500 on PostgreSQL
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # Django's own: check --deploy looks for it by name
    "satuatap.pagesonly.AuthenticationMiddleware",
    "satuatap.accounts.middleware.DeviceTokenMiddleware",
    "satuatap.refusal.RefusalMiddleware",  # a refusal no page caught: its 404/403 or error page
    "satuatap.outage.DatabaseOutageMiddleware",  # the database unreachable: 503 and Retry-After, not 500
    "satuatap.pagesonly.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "satuatap.pagesonly.HtmxMiddleware",
    "satuatap.pagesonly.HistoryRequestMiddleware",  # simple_history's, for pages
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
    # Each worker keeps its connection (no connect per request). No CONN_HEALTH_CHECKS: it costs a
    # "SELECT 1" round trip per request; a connection that failed is closed at the end of its request
    # (that request answers 503, satuatap.outage) and the next one connects afresh.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # No JIT: the app's queries are short, and the reports' aggregates (a year of summary rows) cost PostgreSQL
        # more to compile (100+ ms) than they run; compiling never pays off here.
        # Generic plans for prepared statements: the only ones are the queue's hot statements
        # (``queueing.statements.prepared_cursor``), PL/pgSQL (call-next, the waiting tally) and the foreign-key
        # checks. Left to choose, PostgreSQL kept custom plans for the and a finish's statement (their
        # generic estimates look dearer) and planned a 15-CTE statement again at every ticket: a quarter of the
        # backend's CPU per request (``bench/inprocess_hotpath.py``). Their generic plans walk the same indexes.
        # The ORM binds its values on the client: its queries are planned per execution either way.
        # Appended to any options the URL gives (``?options=...``), never in place of them.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off -c plan_cache_mode=force_generic_plan".strip()
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
            # Pub/sub: a hint to a group is one PUBLISH (the core layer's group_send reads the group's
            # members and runs a script per member: three round trips a group). Hints are never queued
            # for an absent reader, which suits them: a screen that reconnects reads its snapshot.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
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
# Embedded mode: each live process listens on a Unix datagram socket here; a write rings them all,
# so a hint reaches the screens in milliseconds instead of at the next LIVE_POLL_SECONDS poll.
LIVE_BELL_DIR = env_str("LIVE_BELL_DIR", str(VAR_DIR / "live-bell"))

# Content Security Policy (django-csp): scripts and style sheets from our own origin only, no inline
# script, no eval, no plugins, never framed elsewhere. Pages start their scripts with
# <script type="module" src=...> and pass data through data-* attributes or json_script; a page that
# truly needs an inline script marks it nonce="{{ request.csp_nonce }}". Style attributes stay allowed
# (style-src-attr): they cannot run code. The demo's live channel listens on its own port (LIVE_WS_PORT),
# which 'self' does not cover; behind nginx it is the same origin.
_LIVE_SOCKETS = [f"ws://*:{LIVE_WS_PORT}", f"wss://*:{LIVE_WS_PORT}"] if LIVE_WS_PORT else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF, *_LIVE_SOCKETS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

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
# Live snapshots (boards, ticket pages) are read by a whole hall behind one NAT address: a board's
# snapshot is a cached document, so it is limited per address far higher; a ticket's page and snapshot
# are limited per ticket code (PUBLIC_RATE_LIMIT each), and only unknown codes count per address.
PUBLIC_SNAPSHOT_RATE_LIMIT = env_int("PUBLIC_SNAPSHOT_RATE_LIMIT", 20000)
SKM_LINK_HOURS = env_int("SKM_LINK_HOURS", 72)  # how long after service the survey link works
SKM_TABLET_MINUTES = env_int("SKM_TABLET_MINUTES", 15)  # how long the counter tablet offers the survey
# How long a device pairing code (shown when a kiosk, display or tablet is registered) may be typed in.
DEVICE_PAIRING_MINUTES = env_int("DEVICE_PAIRING_MINUTES", 15)
# Reports (issue 13): the wait the "within target" share counts against, in minutes from issue to first call.
REPORTS_TARGET_WAIT_MINUTES = env_int("REPORTS_TARGET_WAIT_MINUTES", 30)
COMPLAINT_VERIFY_WORKING_DAYS = env_int("COMPLAINT_VERIFY_WORKING_DAYS", 3)  # received -> verified
COMPLAINT_FOLLOW_UP_WORKING_DAYS = env_int("COMPLAINT_FOLLOW_UP_WORKING_DAYS", 5)  # forwarded -> answered
COMPLAINT_REOPEN_DAYS = env_int("COMPLAINT_REOPEN_DAYS", 14)  # the complainant may reopen an answer
# New complaints per client address per hour (form and API together): enough for a family, few for a spammer.
COMPLAINT_FILE_LIMIT_PER_HOUR = env_int("COMPLAINT_FILE_LIMIT_PER_HOUR", 5)
# Trusted reverse proxies (nginx) in front of the app that append to X-Forwarded-For; 0 trusts none.
# The client address is then the hop that many places from the right (satuatap/ratelimit.py).
NUM_PROXIES = env_int("NUM_PROXIES", 0)
# Or name the proxies: addresses or networks (CIDR) whose X-Forwarded-For is believed; the client is the
# rightmost hop that is not one of them. Takes precedence over NUM_PROXIES when set.
TRUSTED_PROXIES = [p.strip() for p in env_str("TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise BadSetting(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or network (e.g. 10.0.0.5,10.1.0.0/16)"
        ) from None  # noqa: E501
# Rate-limit counters and short lookups are shared by every web process: Redis when REDIS_URL is set
# (under its own key prefix; the channel layer shares that database, so nothing may flush it), the
# database's cache table otherwise (created by a migration of satuatap.project).
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", env_str("CHANNELS_PREFIX", "satuatap") + ":cache")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "satuatap.sharedcache.PrefixScopedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A Redis that is down or hung costs a request half a second at most, never an error.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "satuatap_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Culling at Django's default 300 entries would forget live counters of a busy morning.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "mpp-demo-2026")

# Every line goes through satuatap.logs: tokens, NIKs and phone numbers redacted, the request id on each
# line, one line per request (REQUEST_LOG=false turns those off). LOG_FORMAT=json for a log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise BadSetting(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "satuatap.logs.RedactFilter"},
        "request_id": {"()": "satuatap.logs.RequestIdFilter"},
    },
    "formatters": {
        "text": {
            "()": "satuatap.logs.TextFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "satuatap.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact", "request_id"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"satuatap.request": {"level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING"}},
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
NOTIFY_SANDBOX = env_bool("NOTIFY_SANDBOX", True)  # outside the demo a start-up check refuses it
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
