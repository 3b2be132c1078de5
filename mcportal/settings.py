"""Settings for mcportal, driven by environment variables.

Development (the default) needs nothing: SQLite in ``var/``, a Celery broker on the local
filesystem, mail printed to the console. Production (``MCPORTAL_ENV=production``) refuses to
start without ``SECRET_KEY`` and ``ALLOWED_HOSTS`` and turns on every ``check --deploy``
hardening. See ``.env.example`` for every variable.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets admin.ModelAdmin[Model] and friends be subscripted at run time, as the type stubs want.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

MCPORTAL_ENV = env.str("MCPORTAL_ENV", default="development")
if MCPORTAL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("MCPORTAL_ENV must be 'development' or 'production'.")
PRODUCTION = MCPORTAL_ENV == "production"

VAR_DIR = Path(env.str("MCPORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

if PRODUCTION:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (MCPORTAL_ENV=production).") from None
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
    DEBUG = False
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-key-never-used-in-production")
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

# The key that encrypts learners' NRIC / passport numbers at rest (docs/decisions/0020). Its own
# secret, so that rotating SECRET_KEY never makes stored numbers unreadable; required in
# production, derived from SECRET_KEY in development.
IDENTITY_ENCRYPTION_KEY = env.str("IDENTITY_ENCRYPTION_KEY", default="")
if PRODUCTION and len(IDENTITY_ENCRYPTION_KEY) < 32:
    raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEY (32+ characters) must be set in production.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Ed25519 keys that sign credentials (docs/decisions/0040): "key-2026:<secretKeyMultibase>,key-2025:<...>",
# the current key first, retired ones after it (still published so what they signed verifies). Make one
# with `manage.py credential_keygen`. Required in production; in development, when empty, a key is
# generated once into VAR_DIR/credential-signing-keys (mode 0600), never into the repository.
CREDENTIAL_SIGNING_KEYS = env.str("CREDENTIAL_SIGNING_KEYS", default="")
if PRODUCTION and not CREDENTIAL_SIGNING_KEYS.strip():
    raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEYS must be set in production (see `manage.py credential_keygen`).")

# --- The portal's public address: one issuer identity for every process (issue 13) ------------------
# Verification links, QR codes and the did:web issuer of every credential and status list come from
# PUBLIC_BASE_URL, so the web server, the Celery workers and every management command must agree on it
# (docs/decisions/0120). Taken from the environment; else from VAR_DIR/public-base-url, where bin/portal
# records the address it serves; else http://127.0.0.1:8000. Production must set it.
PUBLIC_BASE_URL_FILE = VAR_DIR / "public-base-url"
_public_base_url_env = env.str("PUBLIC_BASE_URL", default="").strip()
if PRODUCTION and not _public_base_url_env:
    raise ImproperlyConfigured("PUBLIC_BASE_URL must be set in production (e.g. https://mc.unimas.my).")
_recorded_public_base_url = (
    PUBLIC_BASE_URL_FILE.read_text(encoding="utf-8").strip() if PUBLIC_BASE_URL_FILE.is_file() else ""
)
PUBLIC_BASE_URL = (_public_base_url_env or _recorded_public_base_url or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "mcportal.apps.PortalAdminConfig",  # django.contrib.admin, with two-factor (ADMIN_REQUIRE_2FA)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "accounts",
    "audit",
    "policy",
    "courses",
    "enrolment",
    "credentials",
    "reports",
    "transfer",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, precompressed, before GZip
    # Pages and API answers gzip-compressed (issue 15); BREACH-safe as decision 0143 explains.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "core.middleware.ApplicationErrorMiddleware",
    # Last: turns a locked-out log-in into the "too many failed log-ins" page (accounts.throttle).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mcportal.urls"

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
                "core.context_processors.portal",
                "core.context_processors.nav",
                "courses.context_processors.workflow",
                "reports.context_processors.reports_nav",
            ],
        },
    },
]

WSGI_APPLICATION = "mcportal.wsgi.application"

# An empty variable counts as unset.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a Celery worker started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / env.str("MCPORTAL_TEST_DB_NAME", default="test-db.sqlite3"))}
    # IMMEDIATE: a writing transaction takes the lock at BEGIN, so a web process and a worker
    # wait for each other (timeout) instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # Only core.db.planned_cursor's statements (the public verification reads) are prepared: Django's
    # own cursors bind on the client and never prepare. 0 turns it off, for a pooler that cannot
    # keep prepared statements (PgBouncer before 1.21 in transaction mode; decision 0265).
    _prepare_after = env.int("DATABASE_PREPARE_THRESHOLD", default=2)
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = _prepare_after or None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any log-in to a locked account or from a locked address (django-axes).
    "accounts.throttle.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling on the portal's and the admin's log-in (django-axes, accounts/throttle.py,
# docs/decisions/0101): LOGIN_FAILURES_PER_ACCOUNT failures on one account (from anywhere), or
# LOGIN_FAILURES_PER_ADDRESS from one client address (on any accounts), lock that account or
# address for LOGIN_LOCKOUT_MINUTES after the last failure; even the right password is refused
# meanwhile. Failures are kept in the database, so every process counts the same.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.throttle.LoginThrottleHandler"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttle.login_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = False  # a log-in to one's own account must not wipe the count against others
AXES_DISABLE_ACCESS_LOG = True  # lockouts are in the audit trail; successful log-ins are not kept twice
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]
AXES_VERBOSE = False

# Two-factor authentication (TOTP, django-otp) for the admin site: required by default in
# production, off by default in development so `bin/portal`'s demo logins open /admin/ at once.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=PRODUCTION)
OTP_TOTP_ISSUER = "UNIMAS Micro-Credentials"

# Sessions end after SESSION_IDLE_MINUTES_STAFF (anyone with a role other than learner) or
# SESSION_IDLE_MINUTES (learners) without a request, and SESSION_MAX_HOURS after log-in whatever
# the activity (accounts/sessions.py).
SESSION_IDLE_MINUTES_STAFF = env.int("SESSION_IDLE_MINUTES_STAFF", default=30)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ms", _("Bahasa Malaysia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kuching"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files are private: never under STATIC or a public URL; views serve them after a
# permission check.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "private-media")))
# The largest file a user may upload (a market-survey analysis, R-AF-3), in bytes.
MCPORTAL_UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# The proposal editor posts a whole Table 4 in one form (up to 40 units x 30 lines x 4 inputs,
# courses/policies/limits.py); Django's default of 1000 fields would refuse a large one.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 8000
# JSON from outside (API bodies, credential uploads and pastes, evidence), core/safejson.py: the
# largest body, the deepest nesting of objects/arrays, the longest number. A credential is a few KB
# and about 10 levels deep.
JSON_MAX_BYTES = env.int("JSON_MAX_BYTES", default=1024 * 1024)
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=64)
JSON_MAX_NUMBER_CHARS = env.int("JSON_MAX_NUMBER_CHARS", default=40)

# Mail: printed to the console in development; EMAIL_URL (smtp+tls://user:pass@host:587) in
# production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="UNIMAS Micro-Credentials <mc-noreply@unimas.my>")

# Django REST Framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    # Every JSON body goes through the bounded reader (core/safejson.py): size, depth, numbers.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "UNIMAS Micro-Credential Portal API",
    "DESCRIPTION": "Proposals, approvals, enrolment, results and verifiable credentials.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The fee status and the one the caller saw (expected_fee_status, issue 12) are one enum.
    "ENUM_NAME_OVERRIDES": {"FeeStatusEnum": "enrolment.choices.FeeStatus"},
}

# Celery: the broker needs no server in development (kombu's filesystem transport); Redis in
# production through CELERY_BROKER_URL.
# "localhost" names no server (the filesystem transport has none); without it kombu warns "No
# hostname was supplied" on every start.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://localhost//"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery" / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    _results_dir = VAR_DIR / "celery" / "results"
    _results_dir.mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or f"file://{_results_dir}"
else:
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or CELERY_BROKER_URL
    # A message taken by a worker that dies unacknowledged goes back to the queue after this
    # many seconds (tasks are idempotent, so a slow task delivered twice still acts once). It
    # must outlast the longest retry countdown (mail backs off up to an hour), or a waiting
    # retry is handed to a second worker; so a killed worker's issuance requests are re-run by
    # the credentials.requeue_stale sweep instead, within a minute (decision 0142).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600),
        # Look for messages past the visibility timeout every 10 s (kombu's default is 100 s).
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
# Issue 15: certificates render on their own queue, so a batch's PDFs never hold up issuance
# (and a render worker can be scaled apart: docker-compose's `render` service). bin/portal's
# development worker consumes both.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_DEFAULT_QUEUE", default="celery")
CELERY_RENDER_QUEUE = env.str("CELERY_RENDER_QUEUE", default="render")
CELERY_TASK_ROUTES = {"credentials.render": {"queue": CELERY_RENDER_QUEUE}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# Issue 4: the daily digest of overdue workflow items (R-WF-4), once a day.
CELERY_BEAT_SCHEDULE["courses.overdue_digest"] = {
    "task": "courses.overdue_digest",
    "schedule": crontab(hour=env.int("DIGEST_HOUR", default=7), minute=0),  # 07:00 Kuching time
}
# Issue 17: the daily digest of notifications for people who chose it in "My settings".
CELERY_BEAT_SCHEDULE["core.notification_digest"] = {
    "task": "core.notification_digest",
    "schedule": crontab(hour=env.int("DIGEST_HOUR", default=7), minute=5),
}
# Issue 6 / 15: re-send issuance requests whose worker died mid-task or whose message was lost
# (idempotent), every 15 seconds (decision 0142).
CELERY_BEAT_SCHEDULE["credentials.requeue_stale"] = {"task": "credentials.requeue_stale", "schedule": 15.0}
# Issue 18 (R-CR-6): QVC expiry reminders to CFLEX (6 and 1 months before) and credential expiry
# reminders to learners, daily; each reminder is sent once however often they run.
CELERY_BEAT_SCHEDULE["courses.quality_reminders"] = {
    "task": "courses.quality_reminders",
    "schedule": crontab(hour=6, minute=30),
}
CELERY_BEAT_SCHEDULE["credentials.expiry_reminders"] = {
    "task": "credentials.expiry_reminders",
    "schedule": crontab(hour=6, minute=40),
}
# Issue 18: how long a bulk ZIP of an offering's certificates is kept, and the hourly cleanup.
BULK_ZIP_HOURS = env.int("BULK_ZIP_HOURS", default=24)
CELERY_BEAT_SCHEDULE["credentials.bulk_download_cleanup"] = {
    "task": "credentials.bulk_download_cleanup",
    "schedule": crontab(minute=15),
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # PDF rendering (core/pdf.py) logs every step and every font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Security headers, in every environment (production adds HTTPS-only ones below).
SECURE_CONTENT_TYPE_NOSNIFF = True  # X-Content-Type-Options: nosniff
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, never
# inline (no <script> blocks, no on* handlers, no style="" attributes); images may be data: URIs
# (QR codes). docs/decisions/0101.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): the portal uses none of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The shared cache: rate limits (verification pages, the resend-confirmation form) must count
# across every web process, so production refuses to start without Redis (CACHE_URL); nothing
# is silenced there. Development without CACHE_URL runs one process, where a per-process cache
# is a true count: only there are django-ratelimit's shared-cache checks silenced.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": CACHE_URL}}
elif PRODUCTION:
    raise ImproperlyConfigured(
        "CACHE_URL must name a Redis cache shared by every process in production (redis://host:6379/N)."
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mcportal"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "credentials.views.ratelimited"
# Behind a proxy, count the client address it forwards (e.g. "HTTP_X_REAL_IP").
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="") or None

# --- Public verification (issue 13, docs/decisions/0121) ------------------------------------------------
# The credential pages and their API are limited per credential id and by a global ceiling (set it to
# about half of what the deployment serves), never per address: employers share carrier NAT. Uploads,
# a full signature check each, keep a per-address limit too. Rates are "<count>/<s|m|h>".
VERIFY_RATE_PER_CREDENTIAL = env.str("VERIFY_RATE_PER_CREDENTIAL", default="60/m")
VERIFY_RATE_GLOBAL = env.str("VERIFY_RATE_GLOBAL", default="30000/m")
VERIFY_UPLOAD_RATE_PER_ADDRESS = env.str("VERIFY_UPLOAD_RATE_PER_ADDRESS", default="20/m")
VERIFY_UPLOAD_RATE_GLOBAL = env.str("VERIFY_UPLOAD_RATE_GLOBAL", default="600/m")
# Each web process serves the verification pages it keeps without a query while their status lists
# are unchanged as it last read them, reading the lists' versions again at most this often: a
# revocation or suspension shows on every process's page within this many seconds (decision 0235;
# the published lists themselves may be cached 60 s). At most 60.
VERIFY_STATUS_SECONDS = min(env.float("VERIFY_STATUS_SECONDS", default=1.0), 60.0)
# The university's LinkedIn page id, for the "Add to profile" link (empty: the name alone).
CREDENTIAL_LINKEDIN_ORGANIZATION_ID = env.str("CREDENTIAL_LINKEDIN_ORGANIZATION_ID", default="")
# Wallet delivery (issue 16): how long an "Add to wallet" link works (it works once), and how many
# refused presentations close it.
WALLET_EXCHANGE_MINUTES = env.int("WALLET_EXCHANGE_MINUTES", default=15)
WALLET_EXCHANGE_MAX_FAILURES = env.int("WALLET_EXCHANGE_MAX_FAILURES", default=5)
# R-CR-6 / R-QA-3: where the credential's MQR / QVC alignment points a verifier.
CREDENTIAL_MQR_URL = env.str("CREDENTIAL_MQR_URL", default="https://www2.mqa.gov.my/mqr/")
CREDENTIAL_QVC_URL = env.str("CREDENTIAL_QVC_URL", default="https://www.mqa.gov.my/")
# R-QA-3: the columns of the MQA eSP export, comma-separated "key" or "key=Header" (docs/esp-export.md);
# empty: every field with its default header.
ESP_EXPORT_COLUMNS = env.list("ESP_EXPORT_COLUMNS", default=[])
# Verification counts are kept in the cache and moved to the monthly table once a minute.
CELERY_BEAT_SCHEDULE["credentials.flush_verification_counts"] = {
    "task": "credentials.flush_verification_counts",
    "schedule": 60.0,
}
