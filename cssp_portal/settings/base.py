"""Settings shared by every environment; dev, test and production add only what differs.

Everything that varies between machines is read from the environment (or a `.env` file at the
project root) with django-environ; `.env.example` lists every variable.
"""

from datetime import date as _date
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the portal, used in emails and calendar feeds built outside a request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that its admin classes patch it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "auditlog",
    "csp",
    "health_check",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cssp_portal",
    "members",
    "communities",
    "events",
    "proposals",
    "knowledge",
    "consultations",
    "api",
    "notifications",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cssp_portal.middleware.SessionLifetimeMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "communities.access.StandingMiddleware",
    "cssp_portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the body (the CSRF check does, in process_view): a request larger
    # than any upload is answered 413 unread.
    "cssp_portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the standing (who must) and the session: administrators, portfolio managers and
    # leads without two-factor authentication are sent to set it up once their grace is over.
    "members.two_factor.TwoFactorRequiredMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "cssp_portal.urls"
WSGI_APPLICATION = "cssp_portal.wsgi.application"

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
                "cssp_portal.context_processors.site",
                "communities.context_processors.standing",
                "members.two_factor.two_factor",
            ],
            "builtins": [
                "cssp_portal.templatetags.portal",
                "cssp_portal.templatetags.kept_urls",
                "cssp_portal.templatetags.kept_extends",
            ],
        },
    },
]

FORM_RENDERER = "cssp_portal.forms.PortalFormRenderer"
# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Data -----------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Reuse connections, but check them first: after a PostgreSQL restart a stale connection
# otherwise gives one server error per worker.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# QuerySet.iterator() (select widgets, exports) reads with a plain cursor: a server-side cursor
# costs three round trips (DECLARE, FETCH, CLOSE) for lists of a few hundred rows, and does not
# survive a transaction-pooling proxy such as PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

# The cache holds what is cheap to lose: sessions (written through to the database), rate
# limits and rendered fragments. django-redis's IGNORE_EXCEPTIONS turns a Redis outage into
# misses (logged), so no request and no write fails because the cache is down; the short
# timeouts keep a hung Redis from holding a request for long.
CACHE_OPTIONS = {
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
    "SOCKET_TIMEOUT": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "cssp_portal.cache"

if REDIS_URL:
    # Login rate limits live in the cache: they must be shared by every worker process.
    CACHES = {
        "default": {
            "BACKEND": "cssp_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cssp",
            "OPTIONS": CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page layout's fragments (header menu, footer) depend on nothing but the code, the language
# and the viewer's role flags, never on data: each process keeps its own copy (no round trip to
# Redis, nothing to empty; a deploy starts new processes).
LAYOUT_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "layout",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CACHES["layout"] = LAYOUT_CACHE

# --- Authentication -------------------------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Resolved at sign-out, in the language of the page the person was on.
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # Failed logins: at most 5 a minute per IP, 10 per 5 minutes per account (allauth keys).
    "login_failed": "5/m/ip,10/5m/key",
    "signup": "20/m/ip",
    "reset_password": "5/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CSSP Communities of Practice"
# Administrators, portfolio managers and community leads and co-leads must use two-factor
# authentication (members/two_factor.py): a notice until TWO_FACTOR_GRACE_DAYS after
# TWO_FACTOR_GRACE_START (the deployment that made it required; or after the account was
# created, when later), then every page sends them to the set-up page first.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
# Read as a date here, so that a malformed value stops the start-up, not a request.
TWO_FACTOR_GRACE_START = _date.fromisoformat(env("TWO_FACTOR_GRACE_START", default="2026-12-03"))
TWO_FACTOR_GRACE_DAYS = env.int("TWO_FACTOR_GRACE_DAYS", default=14)

# A request body above this many bytes is refused (413) before it is read; 0: the largest file
# any form accepts (the library's) plus 1 MB for the form's other fields.
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=0)

# What a person may send at most, per window, before a 429 page (cssp_portal/ratelimits.py;
# django-ratelimit in the shared cache, per person). "30/10m": 30 per 10 minutes; empty: no limit.
# Sign-in, sign-up and password resets have allauth's own limits (ACCOUNT_RATE_LIMITS).
PORTAL_RATE_LIMITS = {
    "post": env("RATE_LIMIT_POST", default="30/10m"),  # discussion threads and replies
    "report": env("RATE_LIMIT_REPORT", default="10/h"),  # reports of messages
    "invite": env("RATE_LIMIT_INVITE", default="20/h"),  # invitation forms sent
    "proposal": env("RATE_LIMIT_PROPOSAL", default="10/h"),  # proposals submitted
    "join": env("RATE_LIMIT_JOIN", default="20/h"),  # join requests
    # personal-data downloads (each reads everything about the person) and attempts to delete
    # one's account (a password check: a guessing aid if unlimited)
    "personal_data": env("RATE_LIMIT_PERSONAL_DATA", default="10/h"),
    "account_delete": env("RATE_LIMIT_ACCOUNT_DELETE", default="5/h"),
}
# A count the cache cannot give is no reason to refuse (Redis down): let the request through.
RATELIMIT_FAIL_OPEN = True

# guardian: anonymous users never receive object permissions, so no "AnonymousUser" row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# A government portal: sessions end after 30 idle minutes and at the latest 12 hours after login.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions are read from the cache (Redis) and written through to the database: a signed-in
# page costs no session query (tests/bench), and nothing is lost if the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Languages ------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Toronto"
FORMAT_MODULE_PATH = ["cssp_portal.formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr")
# No silent fallback: an empty French field must show up as missing, not as English text.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ()}
# modeltranslation's tabbed admin loads jQuery UI from a CDN by default.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Static and media -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files members upload (proposal attachments, library documents, event documents) are
# private: kept outside MEDIA_ROOT, never served by a web server, read only through views that
# ask the policies first.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/no-public-url/"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    # whitenoise's compressed, hashed files; each address worked out once per process.
    "staticfiles": {"BACKEND": "cssp_portal.staticstorage.StaticFilesStorage"},
}

# --- Email ----------------------------------------------------------------------------------

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that stops answering must not hold a worker forever: the attempt fails and is
# retried later.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL",
    default="CSSP Communities of Practice <no-reply@cssp-cop.example.ca>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The program's public contact address, given on the seeds' community pages.
CSSP_CONTACT_EMAIL = env("CSSP_CONTACT_EMAIL", default="css-info@drdc-rddc.gc.ca")

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker (the embedded default) tasks run in-process, right after commit.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60, "socket_connect_timeout": 2}
# A request that queues a task while Redis is down gives up within about two seconds: the
# outbox row is committed and the sweep queues it once Redis is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TIMEZONE = TIME_ZONE
# A pool process grown past this (KiB) is replaced after its task: a leak cannot take the box.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=100 * 1024
)

# The notification outbox (notifications/): batches, retries and the sweep.
NOTIFICATIONS = {
    "BATCH_SIZE": env.int("NOTIFICATIONS_BATCH_SIZE", default=50),
    "MAX_ATTEMPTS": env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8),
    # 1, 2, 4… minutes between attempts, at most 2 hours: about 4 hours in all.
    "RETRY_BASE_SECONDS": env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60),
    "RETRY_MAX_SECONDS": env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=2 * 60 * 60),
    # A queued row still pending this long after it was queued, while the broker's queue is
    # empty, lost its task (Redis restarted, a worker killed with the task it had fetched).
    "LOST_TASK_SECONDS": env.int("NOTIFICATIONS_LOST_TASK_SECONDS", default=30),
    # While the queue still holds messages a row may simply be waiting its turn: it is queued
    # again only after this long. Keep it above the time the workers need for the largest
    # fan-out (README: measured emails per second per worker).
    "DRAIN_SECONDS": env.int("NOTIFICATIONS_DRAIN_SECONDS", default=10 * 60),
    "REQUEUE_LIMIT": env.int("NOTIFICATIONS_REQUEUE_LIMIT", default=20000),
    "SWEEP_SECONDS": env.float("NOTIFICATIONS_SWEEP_SECONDS", default=15.0),
    # Only without PostgreSQL (no advisory locks): an attempt "sending" for longer is abandoned.
    "CLAIM_LEASE_SECONDS": env.int("NOTIFICATIONS_CLAIM_LEASE_SECONDS", default=15 * 60),
    # Workers write a heartbeat this often; /healthz fails when none is fresher than 3 beats.
    "HEARTBEAT_SECONDS": env.float("CELERY_WORKER_HEARTBEAT_SECONDS", default=10.0),
}

# Periodic work is declared here and only here.
CELERY_BEAT_SCHEDULE: dict = {
    # A sweep still waiting in the queue when the next is due is dropped (expires): behind
    # a backlog of deliveries, sweeps must not pile up and then all run at once.
    "notifications-requeue-due": {
        "task": "notifications.periodic.outbox_requeue_due_task",
        "schedule": NOTIFICATIONS["SWEEP_SECONDS"],
        "options": {"expires": NOTIFICATIONS["SWEEP_SECONDS"]},
    },
    # Members choose the hour of their digests; a quarter-hourly pass sends each within minutes.
    "notifications-digests": {
        "task": "notifications.periodic.digests_collect_due_task",
        "schedule": 15 * 60.0,
        "options": {"expires": 15 * 60.0},
    },
    # Event reminders (48 h and 2 h before by default): a scan every five minutes sends those
    # that are due and stamps them, so each goes once and at most five minutes late.
    "events-reminders": {
        "task": "events.tasks.event_reminders_send_due_task",
        "schedule": 5 * 60.0,
        "options": {"expires": 5 * 60.0},
    },
    # Consultations: the opening notice once one opens and a reminder 48 h before it closes
    # to those who have not answered; each stamped on its consultation, so sent once.
    "consultations-notices": {
        "task": "consultations.tasks.consultations_notify_due_task",
        "schedule": 15 * 60.0,
        "options": {"expires": 15 * 60.0},
    },
}

# --- Security -------------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The GC Design System's components (Stencil) inject one hydration <style> element.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: one JSON object a line on stdout --------------------------------------------

LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Replace Django's own console handler so each record is printed once, as JSON.
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

# --- Health checks: what /healthz reports ---------------------------------------------------

HEALTH_CHECK = {"DISK_USAGE_MAX": None, "MEMORY_MIN": None}
# Rendered fragments (community cards...) are kept this long under a key made of the object's
# own version and the language (templates' {% cache %}); 0 turns fragment caching off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# "Date modified" of pages that have no content date of their own: the release's date.
PORTAL_RELEASE_DATE = env("PORTAL_RELEASE_DATE", default="2026-11-22")

# --- Read-only API (api/): /api/v1/ -----------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A member's personal token (Authorization: Bearer ...), or their portal session.
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    # Counted in the cache (Redis): while it is down nothing is counted, nothing is refused.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.VisitorThrottle", "api.throttling.MemberThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_visitor": env("API_RATE_VISITOR", default="120/min"),
        "api_member": env("API_RATE_MEMBER", default="600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CSSP Communities of Practice API",
    "DESCRIPTION": (
        "Read-only open data of the Canadian Safety and Security Program's communities of "
        "practice: communities, organizations, events, calls for proposals and funded projects. "
        "Add ?lang=fr (or send Accept-Language) for French."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the drf-spectacular-sidecar package, served from our static
    # files: never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
