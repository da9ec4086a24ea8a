"""Settings for MDSS.

Everything that differs between a laptop and production comes from the
environment, so the same file serves both:

    DJANGO_DEBUG          "1" (default) for development, "0" for production
    DJANGO_SECRET_KEY     required in production
    DJANGO_ALLOWED_HOSTS  comma-separated host names
    DATABASE_URL          postgres://user:pass@host:5432/name (default: SQLite under var/)
    REDIS_URL             redis://host:6379/0 moves Huey's queue and the cache to Redis
    EMAIL_URL-style SMTP  EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS
"""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MDSS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
TESTING = "pytest" in sys.modules or os.environ.get("MDSS_TESTING") == "1"

_DEV_SECRET = "dev-insecure-secret-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET)
if SECRET_KEY == _DEV_SECRET:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    if not TESTING:
        sys.stderr.write(
            "WARNING: MDSS is running with development settings (DEBUG on, built-in "
            "SECRET_KEY). Set DJANGO_DEBUG=0 and DJANGO_SECRET_KEY before exposing it.\n"
        )

# The key of the audit chain's HMAC. It must live outside the database (and outside
# its backups): whoever can write the audit table but lacks the key cannot forge an
# event. Production sets it explicitly; development derives one from SECRET_KEY.
MDSS_AUDIT_KEY = os.environ.get("MDSS_AUDIT_KEY", "")
if not MDSS_AUDIT_KEY:
    if not DEBUG and not TESTING:
        raise RuntimeError("MDSS_AUDIT_KEY must be set when DJANGO_DEBUG=0 (docs/deploy.md)")
    import hashlib as _hashlib

    MDSS_AUDIT_KEY = _hashlib.sha256(("mdss-audit:" + SECRET_KEY).encode()).hexdigest()
# The chain's head (count, last id, last hash, MAC) is appended here every hour and
# when `manage.py audit_checkpoint` runs; keep this file (or the log lines, logger
# mdss.audit.checkpoint) away from the database, so a shortened chain is detected.
# On PostgreSQL each database session owns a chain of the audit trail while it is
# open (audit/services.py); 0 behind a transaction-pooling PgBouncer, where a session
# lock would not follow the transactions: each transaction then locks one of eight.
MDSS_AUDIT_SESSION_STREAMS = os.environ.get("MDSS_AUDIT_SESSION_STREAMS", "1") != "0"
# On PostgreSQL a database session keeps a few hot, rarely changed answers (the bearer
# token and its user, the SLA target in force) until a trigger notifies a change
# (core/notified.py); 0 behind a transaction-pooling PgBouncer, where LISTEN would not
# follow the session.
MDSS_NOTIFIED_CACHE = os.environ.get("MDSS_NOTIFIED_CACHE", "1") != "0"
MDSS_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("MDSS_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.jsonl")
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "huey.contrib.djhuey",
    "ninja",  # serves Swagger UI from its own static files (no CDN)
    "mdss.core",
    "mdss.accounts",
    "mdss.audit",
    "mdss.notifications",
    "mdss.calendars",
    "mdss.catalog",
    "mdss.customers",
    "mdss.training",
    # Dependency order (demo and benchmark data are discovered in this order):
    # the installed base stands alone (contracts add delivered units to it),
    # contracts build on pricing and devices.
    "mdss.devices",
    "mdss.pricing",
    "mdss.contracts",
    "mdss.inventory",
    # Service works on the installed base with parts from the inventory.
    "mdss.service",
    "mdss.complaints",
    # Quality reads service, complaints and inventory, and holds what catalog gates.
    "mdss.quality",
    "mdss.risk",
    "mdss.analytics",
    # The customers' own pages, on top of service (and later complaints).
    "mdss.portal",
]

if TESTING:
    # A regulated model of the tests' own (tests/regulated_app).
    INSTALLED_APPS.append("tests.regulated_app")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mdss.core.middleware.RequestIdMiddleware",
    "mdss.core.inputs.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mdss.core.middleware.LoginRequiredMiddleware",
    "mdss.core.middleware.ApplicationErrorMiddleware",
    "mdss.core.middleware.IdempotencyMiddleware",
    # Axes last, as its documentation asks, so it sees the final response of a login.
    "axes.middleware.AxesMiddleware",
]

if DEBUG and not TESTING:
    # DEBUG's tracebacks are for this machine only (mdss.core.middleware).
    MIDDLEWARE.insert(0, "mdss.core.middleware.DebugOnlyOnLoopbackMiddleware")

ROOT_URLCONF = "mdss.urls"
WSGI_APPLICATION = "mdss.wsgi.application"
ASGI_APPLICATION = "mdss.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mdss.core.context_processors.layout",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections with health checks: opening a PostgreSQL connection per
    # request costs about five times the query itself on these machines.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
    # Parameters bound by the server, and a statement run twice on a connection
    # prepared there: quoting every value in Python and parsing and planning every
    # statement again cost a fifth to a quarter of an API request (issue 14 §6,
    # docs/benchmarks.md). Behind a transaction-pooling PgBouncer older than 1.21,
    # set MDSS_PG_PREPARE=0 (prepared statements do not survive a pool switch).
    if (
        DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        and os.environ.get("MDSS_PG_PREPARE", "1") != "0"
    ):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=2
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("MDSS_SQLITE_PATH", str(VAR_DIR / "mdss.sqlite3")),
            # WAL mode and foreign keys are switched on per connection in
            # mdss.core.apps (connection_created), since Django has no setting for WAL.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # Tests use a file too (not the shared-cache in-memory database, which
            # fails concurrent writers with "table is locked" instead of waiting).
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
# Statistics may read their fact tables from a PostgreSQL read replica (streaming
# replication of this database): set MDSS_ANALYTICS_REPLICA_URL, and the dashboards'
# reads go there while the refresh writes here (mdss.analytics.routers, docs/deploy.md).
ANALYTICS_REPLICA_URL = os.environ.get("MDSS_ANALYTICS_REPLICA_URL", "")
if ANALYTICS_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(ANALYTICS_REPLICA_URL, conn_max_age=600, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["mdss.analytics.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the user's permissions cached per access version (accounts.access)
    "mdss.accounts.access.AccessBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow by design; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "mdss.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 8 hours of work or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("MDSS_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False

# django-axes: lock a user name from one address after 5 failures, for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("MDSS_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind N reverse proxies (docs/deploy.md: nginx is 1) the client address is the N-th
# from the right of X-Forwarded-For; without this every user would share the proxy's
# address and five bad logins would lock a name for everybody.
MDSS_TRUSTED_PROXY_COUNT = int(os.environ.get("MDSS_TRUSTED_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "mdss.accounts.security.client_ip"
# Password spraying: failed logins from one address, whatever the user names.
MDSS_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("MDSS_LOGIN_FAILURES_PER_ADDRESS", 30))
# Wrong passwords at a signature or the password change before those doors lock.
MDSS_PASSWORD_FAILURE_LIMIT = int(os.environ.get("MDSS_PASSWORD_FAILURE_LIMIT", 5))
AXES_VERBOSE = False

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mdss.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("MDSS_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MDSS_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Background work (Huey) -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "mdss",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 4, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "mdss",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        # Development runs tasks in-process unless a consumer is started explicitly
        # (MDSS_HUEY_IMMEDIATE=0 make worker); tests always run them in-process.
        "immediate": env_bool("MDSS_HUEY_IMMEDIATE", DEBUG) or TESTING,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- Cache ------------------------------------------------------------------------
# With Redis every process shares one cache: the statistics' figures that the hourly
# job computes (analytics/cache.py) and each user's access (accounts/access.py) are
# then computed once, not once per web worker. Without it (development, tests) each
# process keeps its own in memory, Django's default.
if REDIS_URL and not TESTING:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mdss",
        }
    }

# --- E-mail -------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that hangs must not hold a worker: give up after this many seconds
# (the row is retried with back-off).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 15))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mdss@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production) -----------------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from our own static files, so an
# injected <script> or onclick= does not run. Styles may be inline (Bootstrap's style
# attributes, htmx's indicator style); they cannot run code. Stored files carry their
# own stricter header (sandbox, mdss.core.files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True

# --- Application settings ----------------------------------------------------------
# The distributor itself, as printed on contracts and delivery notes.
MDSS_COMPANY_NAME = os.environ.get("MDSS_COMPANY_NAME", "华康医疗器械销售有限公司")
MDSS_COMPANY_ADDRESS = os.environ.get("MDSS_COMPANY_ADDRESS", "上海市徐汇区漕溪北路 398 号")
MDSS_COMPANY_LICENCE = os.environ.get("MDSS_COMPANY_LICENCE", "沪徐食药监械经营许 20260001 号")
# Noto Sans SC (OFL), installed by npm: embedded in every PDF so Chinese prints on any
# machine, whatever fonts it has.
MDSS_PDF_FONT_DIR = Path(
    os.environ.get("MDSS_PDF_FONT_DIR", BASE_DIR / "node_modules/@expo-google-fonts/noto-sans-sc")
)

MDSS_API_TOKEN_PREFIX = "mdss_"
# A token without a stated expiry lapses after this many days.
MDSS_API_TOKEN_DAYS = int(os.environ.get("MDSS_API_TOKEN_DAYS", 90))
MDSS_IDEMPOTENCY_TTL_HOURS = 24
# A retry that arrives while the first request with its key is running waits this long
# for it, then gets 409 idempotency_in_progress.
MDSS_IDEMPOTENCY_WAIT_SECONDS = 10
MDSS_API_PAGE_SIZE = 50
# Uploaded scans and documents (PDF, JPEG, PNG) and Excel imports.
MDSS_UPLOAD_MAX_BYTES = int(os.environ.get("MDSS_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
MDSS_API_MAX_PAGE_SIZE = 500
# Excel imports: what a workbook may unpack to, and its rows per sheet.
MDSS_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("MDSS_IMPORT_MAX_UNPACKED_BYTES", 300 * 2**20))
MDSS_IMPORT_MAX_ROWS = int(os.environ.get("MDSS_IMPORT_MAX_ROWS", 200_000))
# The highest page number a list accepts (pages and API).
MDSS_MAX_PAGE = 100_000
# Free text (notes, descriptions) longer than this is refused, whatever the column.
MDSS_MAX_TEXT = int(os.environ.get("MDSS_MAX_TEXT", 20_000))
# The address people use, for links in e-mails and group-chat messages.
MDSS_SITE_URL = os.environ.get("MDSS_SITE_URL", "http://127.0.0.1:8000")
# A WeCom (企业微信) or DingTalk (钉钉) group-robot URL for team notifications.
MDSS_WEBHOOK_URL = os.environ.get("MDSS_WEBHOOK_URL", "")
MDSS_WEBHOOK_FLAVOR = os.environ.get("MDSS_WEBHOOK_FLAVOR", "wecom")  # or "dingtalk"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "filters": {"request_id": {"()": "mdss.core.request_context.RequestIdLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MDSS_LOG_LEVEL", "INFO")},
    # Third parties that narrate every step at INFO (fontTools: each PDF font subset).
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# A closed service request may be reopened (as a linked new request) within this many days.
SERVICE_REOPEN_DAYS = 30
# Complaints (A14, complaints/choices.MajorCriterion): what the major criteria
# "repeated" and "high value" mean, and how long a closed complaint may be reopened.
COMPLAINT_POLICY = {
    "repeat_window_days": 90,  # another complaint of the customer within this many days
    "high_value_cny": 100_000,  # the money at stake from which a complaint is major
    "reopen_days": 90,
    "resolution_max_days": 90,  # the latest resolution date a special team may set
}

# Quality (Q3, Q6): the feedback trend's alert (this many reports on one model and
# lot within this many days) and how long after the last action an incident's
# effectiveness is checked. The deadlines themselves are policy targets (calendars).
# Risk management (Q7): the thresholds of the signals the register proposes from the
# data (risk/services/signals.py).
RISK_POLICY = {
    # A registration certificate expiring within this many days with no renewal on file.
    "certificate_days": 180,
    # At least this many complaints about units of one model within this many days.
    "complaint_count": 3,
    "complaint_days": 90,
    # A province where at least this share of the service requests reported within
    # sla_days missed a deadline (and at least sla_min_requests were reported).
    "sla_percent": 20,
    "sla_days": 90,
    "sla_min_requests": 10,
    # A customer whose first unpaid instalment fell due more than this many days ago.
    "receivable_days": 90,
    # A supplier's paper expiring within this many days with no later one on file.
    "supplier_days": 60,
}

# Statistics (D1–D4, mdss/analytics). Service targets a province, model or engineer is
# measured against; the share of change that flags a province's sales; the
# assumptions of the engineers model (analytics/resources.py: travel per visit,
# working month, utilisation, the share of visits to start within the on-site
# target, which itself comes from the policy); the parts model's lead time and
# service level (inventory/levels.py).
ANALYTICS_POLICY = {
    "sla_percent": 90,
    "first_time_fix_percent": 80,
    "rating": 4.0,
    "min_requests": 10,
    "region_flag_percent": 10,
}
ANALYTICS_RESOURCES = {
    "travel_hours": 2.0,
    "working_days": 21.75,
    "hours_per_day": 8.0,
    "utilisation": 0.75,
    "sla": 0.9,
}
ANALYTICS_PARTS = {"lead_time_days": 14, "service_level": 0.95}

QUALITY_POLICY = {
    "feedback_alert_count": 3,
    "feedback_alert_days": 30,
    "effectiveness_days": 30,
    # Q4: the engineer's evaluation. Scores are 0–100; each is the weighted mean of its
    # parts that have data (a part without data is left out, not counted as zero).
    "evaluation_weights": {"attitude": 0.3, "quality": 0.4, "efficiency": 0.3},
    # "audit": the share of their audited records that passed every point (Q5).
    "quality_parts": {"rating": 0.4, "first_time_fix": 0.3, "no_repeat": 0.3, "audit": 0.3},
    "efficiency_parts": {"rating": 0.5, "deadlines_met": 0.5},
    "repeat_days": 30,
    # Q5: the share of a period's completed requests drawn for the record audit.
    "audit_percent": 10,
}
