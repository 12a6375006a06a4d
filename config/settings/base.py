"""Settings shared by every environment. Environment values come from config.env only."""

from datetime import timedelta

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR
NODE_MODULES = BASE_DIR / "node_modules"

SECRET_KEY = env.text("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env.flag("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env.items("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "lindung.core",
    "lindung.regions",
    "lindung.accounts",
    "lindung.offices",
    "lindung.calculator",
    "lindung.registry",
    "lindung.contributions",
    "lindung.claims",
    "lindung.outreach",
    "lindung.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lindung.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: each log line of the request carries its id and the user's.
    "lindung.core.observability.RequestIdMiddleware",
    # After the session: a user who just wrote reads from the primary, not a lagging replica.
    "lindung.core.replica.PrimaryAfterWriteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "lindung.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": env.database()}
# Monitoring pages, exports and the region PDF read from a standby when one is named
# (lindung.core.replica; docs/scale.md). A user who just wrote reads the primary for this long.
_replica = env.replica_database()
DATABASE_ROUTERS: list[str] = []
if _replica is not None:
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["lindung.core.replica.ReplicaRouter"]
REPLICA_STICKY_SECONDS = int(env.text("REPLICA_STICKY_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login lockout (django-axes): 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# API tokens: this many wrong tokens from one client address within the window refuse it (429).
API_TOKEN_FAILURE_LIMIT = 20
API_TOKEN_FAILURE_WINDOW = timedelta(minutes=10)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie; harmless either way

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.data_dir() / "static"
# Front-end packages come from the npm registry (package.json) and are served from here: never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded enrolment files and their error reports: outside the database, never served directly.
IMPORT_DIR = env.data_dir() / "imports"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_MAX_BYTES = 100 * 1024 * 1024  # 500,000 rows of the template are about 60 MB as CSV
IMPORT_MAX_ROWS = 500_000  # an enrolment file (a province's non-ASN at once); larger ones are split
WORKFORCE_MAX_ROWS = 400_000  # every village of the country, four categories
# What an XLSX may expand to once unzipped (100,000 template rows: about 40 MB, 500,000 about 200).
# Above it, a zip bomb would cost the server gigabytes before its first row is read.
SPREADSHEET_MAX_EXPANDED_BYTES = 250 * 1000 * 1000
# Files of uploads that failed, were cancelled or abandoned are deleted after this many days.
IMPORT_FILE_DAYS = 7
STATEMENT_MAX_BYTES = 20 * 1024 * 1024  # 50,000 rows of a bank statement are about 4 MB
# Claim documents (KTP, death certificates, receipts): outside the database, served only through
# the claim's page to users who may see the claim.
CLAIM_DOCUMENT_DIR = env.data_dir() / "claims"
CLAIM_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# Target lists from the social-affairs office (DTKS, Regsosek, P3KE): the file is kept only until
# it is read; the entries are deleted after the retention period (or on request).
TARGET_LIST_DIR = env.data_dir() / "targets"
TARGET_LIST_MAX_ROWS = 300_000  # a large kabupaten's DTKS, one row per person
TARGET_LIST_RETENTION_DAYS = int(env.text("LINDUNG_TARGET_LIST_RETENTION_DAYS", "365"))

# Background jobs (bulk enrolment): stored in the database, run by `lindung db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Content-Security-Policy on every response: only this server's own scripts, styles and images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# JSON lines on standard output (journald keeps them), each with its request id and user id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "lindung.core.observability.RequestContextFilter"}},
    "formatters": {"json": {"()": "lindung.core.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": env.text("LINDUNG_LOG_LEVEL", "WARNING")},
}

# /metrics (Prometheus) answers only with this bearer token; unset, it does not exist.
METRICS_TOKEN = env.text("LINDUNG_METRICS_TOKEN")

# Pagination size for lists in pages and the API.
LINDUNG_PAGE_SIZE = 50

# The home page's worklist (what needs each user now): it reads every app, so core finds it here.
LINDUNG_WORKLIST = "lindung.monitoring.worklist.worklist"

# PDFs print names in DejaVu Sans (Debian's fonts-dejavu-core, installed by `make setup`).
PDF_FONT_DIR = env.text("LINDUNG_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")

# The invoice's letterhead and payment section (until offices are data, issue 23): who issues it,
# and where payers transfer. Empty in production until set: the invoice then tells the payer to
# ask the office. The virtual account is the prefix followed by the invoice's payer number.
LINDUNG_OFFICE = {
    "name": env.text("LINDUNG_OFFICE_NAME", "BPJS Ketenagakerjaan"),
    "address": env.text("LINDUNG_OFFICE_ADDRESS"),
    "phone": env.text("LINDUNG_OFFICE_PHONE"),
}
LINDUNG_PAYMENT = {
    "bank": env.text("LINDUNG_PAYMENT_BANK"),
    "account": env.text("LINDUNG_PAYMENT_ACCOUNT"),
    "account_name": env.text("LINDUNG_PAYMENT_ACCOUNT_NAME"),
    "virtual_account_prefix": env.text("LINDUNG_PAYMENT_VA_PREFIX"),
}

# /healthz says 503 when an upload folder has less free space than this.
HEALTH_MIN_FREE_MB = int(env.text("LINDUNG_HEALTH_MIN_FREE_MB", "500"))

# Reminders by email (`lindung send_reminders`, daily): the SMTP server from the environment.
EMAIL_HOST = env.text("LINDUNG_SMTP_HOST", "localhost")
EMAIL_PORT = int(env.text("LINDUNG_SMTP_PORT", "25"))
EMAIL_HOST_USER = env.text("LINDUNG_SMTP_USER")
EMAIL_HOST_PASSWORD = env.text("LINDUNG_SMTP_PASSWORD")
EMAIL_USE_TLS = env.flag("LINDUNG_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.text("LINDUNG_MAIL_FROM", "Lindung <lindung@localhost>")
# Links in emails point here (the address people open Lindung at).
LINDUNG_SITE_URL = env.text("LINDUNG_SITE_URL", "http://127.0.0.1:8000")
# A claim open longer than this many days is reminded to who decides it (the branch's service level).
CLAIM_SERVICE_DAYS = int(env.text("LINDUNG_CLAIM_SERVICE_DAYS", "14"))
