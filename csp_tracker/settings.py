"""Settings for CSP Tracker, read from environment variables.

SQLite under ``var/`` is the zero-set-up default; production sets ``DATABASE_URL`` to PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("CSP_ALLOW_INSECURE_KEY"):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "auditlog",
    "plans",
    "priorities",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp_tracker.middleware.HealthCheckMiddleware",  # /healthz: before sessions and sign-in
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "csp_tracker.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "csp_tracker.urls"
WSGI_APPLICATION = "csp_tracker.wsgi.application"

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
                "csp.context_processors.nonce",
                "plans.context_processors.navigation",
            ],
        },
    },
]

# SQLite file under the git-ignored var/ unless DATABASE_URL says otherwise.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Operations: database timeouts (issue 12) ---
# A database that does not answer fails fast, as a 503 page (csp_tracker.health), instead of
# holding a worker until gunicorn kills it. Keep DB_STATEMENT_TIMEOUT below gunicorn's --timeout.
DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = int(os.environ.get("DB_STATEMENT_TIMEOUT", "30"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    if DB_STATEMENT_TIMEOUT:
        _statement = f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"
        _options["options"] = f"{_options.get('options', '')} {_statement}".strip()
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no connection to time out; this is how long a write waits for a lock.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", DB_CONNECT_TIMEOUT)
# --- end of database timeouts ---

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# "31 March 2016", as the plans write dates.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
FORMAT_MODULE_PATH = ["csp_tracker.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DJANGO_TABLES2_TEMPLATE = "includes/_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {
    "class": "govuk-table",
    "thead": {"class": "govuk-table__head"},
    "tbody": {"class": "govuk-table__body"},
}

# Audit trail (django-auditlog): one table of JSON diffs, written with the change, so an
# object's history is one indexed query; IP addresses are not personal data we need.
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True  # loading fixtures is not a user's edit

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "csp-tracker@localhost")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")  # links in reminder e-mails

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# --- Operations: HTTPS behind a proxy, several servers (issue 12) ---
# HTTPS redirect and HSTS are on unless DEBUG; SECURE_SSL_REDIRECT=false only for plain HTTP on
# loopback (tests, scripts/two_servers.py). Behind a TLS-terminating proxy, name the header it
# sets, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (it must overwrite the client's).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers poll over plain HTTP
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # Preloading commits the whole domain to HTTPS in browsers for good: the domain owner's
    # decision, not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# One cache for every app server: Redis when REDIS_URL is set, else this process's memory
# (nothing relies on the cache being shared). Sessions live in the database.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "csp",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# --- end of HTTPS and several servers ---

# No inline scripts: the one module script carries the nonce. The one inline style (the
# report pack's running header for print, templates/plans/_report_print_style.html) does too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Accounts: invitations, password reset, sign-in throttling, session timeouts, two-factor
# sign-in and single sign-on (the accounts app). Kept in one block, apart from the rest. ---
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp_tracker.accounts",
]
# After the messages middleware, so a timed-out session can say why it ended.
_after_messages = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE[_after_messages:_after_messages] = [
    "csp_tracker.accounts.middleware.OTPMiddleware",
    "csp_tracker.accounts.middleware.SessionTimeoutMiddleware",
    "csp_tracker.accounts.middleware.TwoFactorMiddleware",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # axes asks to be last
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out sign-ins
    "csp_tracker.accounts.backends.ThrottledSignInBackend",
    "csp_tracker.accounts.backends.AccountBackend",  # Django's ModelBackend
    "csp_tracker.accounts.oidc.SingleSignOnBackend",  # does nothing unless OIDC_ENABLED
]
TEMPLATES[0]["OPTIONS"]["builtins"] = [
    "csp_tracker.accounts.templatetags.people"
]  # {{ user|person }}

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_ABSOLUTE_TIMEOUT
# seconds after signing in, whatever happens in between.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 30 * 60))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

# Invitation and password reset links: how long they work (seconds).
INVITATION_TIMEOUT = int(os.environ.get("INVITATION_TIMEOUT", 7 * 24 * 60 * 60))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", 60 * 60))

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES (or until an admin unlocks it).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "csp_tracker.accounts.views.passwords.locked_out"  # a GOV.UK page, 429
AXES_VERBOSE = False  # sign-ins are audited; no INFO line per attempt or command
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log (accounts.audit)
AXES_USERNAME_CALLABLE = "csp_tracker.accounts.backends.attempted_username"
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For to trust.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", 0)) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Two-factor sign-in (django-otp, TOTP with recovery codes): required for partnership admins
# and superusers, optional for everyone else.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "CSP Tracker")
# DEMO ONLY: `make run` sets this so the demo accounts sign in without an authenticator app.
# Ignored unless DEBUG is on; never set it on a real server.
DEMO_ACCOUNTS_SKIP_TWO_FACTOR = DEBUG and env_bool("DEMO_ACCOUNTS_SKIP_TWO_FACTOR")

# Single sign-on with OpenID Connect (e.g. Microsoft Entra ID), as well as passwords. People
# are matched to the account they were invited to by verified e-mail address; nobody else
# gets in. Endpoints as the provider's /.well-known/openid-configuration lists them.
OIDC_ENABLED = env_bool("OIDC_ENABLED")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation's account")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")  # checked against the ID token's iss
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # only invited accounts
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
# Providers such as Entra ID only issue addresses the organisation owns and send no
# email_verified claim: set this to trust their addresses as verified.
OIDC_TRUST_EMAIL = env_bool("OIDC_TRUST_EMAIL")
# Count the provider's own multi-factor sign-in (an "mfa" amr claim) as our second factor.
OIDC_TRUST_PROVIDER_MFA = env_bool("OIDC_TRUST_PROVIDER_MFA")

# --- Questions and evidence (plans.collaboration, issue 10). Evidence files go through Django's
# storage API: files under MEDIA_ROOT by default (never served by WhiteNoise or a URL: only the
# download view, which checks permissions, reads them); S3 or an S3-compatible store
# (django-storages) when a bucket is named. ---
INSTALLED_APPS += ["plans.collaboration"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
_bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME") or os.environ.get("STORAGE_S3_BUCKET")
if _bucket:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("STORAGE_S3_PREFIX", "csp-tracker"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# --- end of questions and evidence ---

# Notifications (plans/notifications): in the app, and by e-mail as each user chooses.
INSTALLED_APPS += ["plans.notifications"]
INSTALLED_APPS += ["plans.rollforward"]  # next year's plan from this one (issue 13)
INSTALLED_APPS += ["ninja", "plans.api"]  # the read-only API (/api/v1/) and its tokens
# Open crime data (indicators/crimedata): police.uk counts by district, month and type.
INSTALLED_APPS += ["indicators.crimedata"]
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "plans.notifications.context_processors.unread_notifications"
)
