"""ITPulse settings: one file, every value from the environment.

With no environment at all ITPulse runs as the "embedded default": SQLite in var/,
Celery tasks on a broker kept in files under var/broker/ (a worker with embedded beat reads
them), e-mail captured in the database for the staff "sent mail" page. Setting DATABASE_URL,
REDIS_URL and EMAIL_URL turns it into the production shape (PostgreSQL, Redis broker, separate
worker and beat, real SMTP). Every variable is documented in docs/configuration.md
(tests/test_docs_configuration.py keeps the two in step).
"""

import ipaddress
import re
import secrets
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ITPULSE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# "true"/"false"/"1"/"0"/"yes"/"no" only; env.bool() rejects nothing, so parse strictly.
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = envbool("DEBUG", False)
EMBEDDED = not env.str("DATABASE_URL", default="")


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not EMBEDDED:
        # Production never falls back to a default secret (cookiecutter-django's rule).
        raise ImproperlyConfigured("SECRET_KEY must be set when DATABASE_URL is set.")
    # Embedded default: one random key per installation, kept in var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "itpulse.views.csrf_failure"

# Absolute base of links in e-mails (score links, opt-out): the requester's mail client has no host.
ITPULSE_BASE_URL = env.str("ITPULSE_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
ITPULSE_ORGANISATION = env.str("ITPULSE_ORGANISATION", default="ITPulse")
# Brand colour of e-mail buttons and the survey page; text on it is black or white, whichever
# contrasts more, so any colour stays readable (WCAG AA).
ITPULSE_COLOUR = env.str("ITPULSE_COLOUR", default="#0b5cad").strip().lower()
if not re.fullmatch(r"#[0-9a-f]{6}", ITPULSE_COLOUR):
    raise ImproperlyConfigured(f"ITPULSE_COLOUR must look like #0b5cad, not {ITPULSE_COLOUR!r}")
# A logo under static/ (e.g. "branding/logo.png"): served by ITPulse itself, so the survey page
# loads nothing from other hosts. Empty: the organisation's name only.
ITPULSE_LOGO = env.str("ITPULSE_LOGO", default="").strip().lstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "anymail",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "audit",
    "signin",
    "accounts",
    "surveys",
    "delivery",
    "scoring",
    "integrations",
    "followups",
    "campaigns",
    "ratings",
    "webhooks",
    "privacy",
    "setup",
]

MIDDLEWARE = [
    # First: who sent the request and over what, before anything reads either.
    "itpulse.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # SECURE_CSP on every response, also the errors raised by the middleware below it; a view
    # may send its own (the survey pages).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Cache-Control: private, no-store on what is meant for one person (itpulse/caching.py);
    # outside the rest, so that it sees every response (static files stay cacheable).
    "itpulse.caching.PrivateResponsesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The switch's cookie, then LANGUAGE_CODE when set, then the browser (itpulse/language.py);
    # a signed-in user's preference overrides it below, once the user is known.
    "itpulse.language.OrganisationLocaleMiddleware",
    # A NUL in the address is a 400 (in the reader's language) before anything looks it up.
    "itpulse.badinput.RejectUnreadableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session ends ITPULSE_SESSION_HOURS after its sign-in, however busy it was since.
    "signin.middleware.SessionLimitMiddleware",
    # Administrators and IT managers without a second factor are sent to set one up.
    "signin.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "itpulse.urls"
WSGI_APPLICATION = "itpulse.wsgi.application"

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
                "surveys.context_processors.itpulse",
                "accounts.context_processors.access",
            ],
        },
    },
]

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
if EMBEDDED:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "itpulse.sqlite3",
            # The embedded worker writes while the web process does: wait for the lock, and take
            # it at BEGIN so that a read never has to be upgraded to a write mid-transaction.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
else:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode a session lasts one transaction: a server-side cursor
    # (QuerySet.iterator(), which Django declares WITH HOLD outside a transaction) would be read
    # on another server connection, or after the pooler reset it. docs/scaling.md says what else
    # holds there (no advisory locks, LISTEN or session SETs; psycopg binds client-side).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool(
        "DATABASE_TRANSACTION_POOLING", False
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 10: the breached-password list below holds passwords from 10 characters on.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "signin.passwords.BreachedPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Times are stored in UTC; TIME_ZONE is the organisation's zone, used for display and for
# turning the API's calendar dates into instants.
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
# Set, LANGUAGE_CODE is the organisation's language: it beats the browser's Accept-Language for
# everyone who has not chosen another (itpulse/language.py). Unset, each browser decides.
ITPULSE_LANGUAGE_SET = bool(env.str("LANGUAGE_CODE", default=""))
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
# One date style per language, named in templates (DATE_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT),
# defined once in itpulse/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["itpulse.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from static/ when collectstatic has not run (embedded default, tests).
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# https://docs.djangoproject.com/en/6.1/ref/settings/#mailers
# EMAIL_URL is parsed by django-environ (smtp://, smtp+tls://, smtp+ssl://, consolemail://) and
# mapped onto Django 6.1's MAILERS; without it, e-mail is captured for the "sent mail" page.
_CAPTURE_BACKEND = "surveys.mail.CapturingEmailBackend"
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    _options = {
        "host": _email.get("EMAIL_HOST"),
        "port": _email.get("EMAIL_PORT"),
        "username": _email.get("EMAIL_HOST_USER") or None,
        "password": _email.get("EMAIL_HOST_PASSWORD") or None,
        "use_tls": bool(_email.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        "timeout": env.int("EMAIL_TIMEOUT", default=20),
    }
    _backend = _email["EMAIL_BACKEND"]
    if _backend.endswith("smtp.EmailBackend"):
        # Django's, plus SMTPUTF8 for addresses with a non-ASCII local part (delivery/smtp.py).
        _backend = "delivery.smtp.EmailBackend"
    else:
        _options = {}
    MAILERS = {"default": {"BACKEND": _backend, "OPTIONS": _options}}
else:
    MAILERS = {"default": {"BACKEND": _CAPTURE_BACKEND}}
EMAIL_CAPTURED = MAILERS["default"]["BACKEND"] == _CAPTURE_BACKEND
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ITPulse <itpulse@localhost>")

# The largest body a form or API call may have (Django's check, before a view reads it): the CSV
# import's confirmation carries up to 2 MiB of file text (integrations/csv_import.py); the API's
# own limits are lower (256 KiB a ticket, 1 MiB a batch) and answer 413 in JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# --- Headers and proxies (docs/security.md) -------------------------------------------------
# https://docs.djangoproject.com/en/6.1/ref/middleware/#module-django.middleware.security
# Headers that cost nothing; HTTPS-only ones follow ITPULSE_BASE_URL's scheme.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# https://docs.djangoproject.com/en/6.1/ref/csp/
# Every response: scripts, styles, images and fonts from ITPulse itself, nothing inline (no page
# of ours has any, and Django 6.1's admin has none either: no nonce is needed), never framed.
# The survey pages send a stricter one (surveys/views/survey.py); the sent-mail page adds the
# hashes of its mail's own style attributes (surveys/mailpreview.py).
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Bootstrap draws check marks and select arrows as data: SVGs.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


def _networks(name: str) -> tuple[str, ...]:
    """ "10.0.0.2, 172.30.80.0/24, fd00::/8" → normalised networks; empty: none."""
    networks = []
    for item in filter(None, (part.strip() for part in env.str(name, default="").split(","))):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: expected IP addresses or networks such as 10.0.0.2 or "
                f"172.30.80.0/24, not {item!r}"
            ) from None
    return tuple(networks)


# The reverse proxies in front of ITPulse: only their X-Forwarded-For and X-Forwarded-Proto are
# believed (itpulse/proxies.py drops both headers from anyone else). Empty: trust no one.
ITPULSE_TRUSTED_PROXIES = _networks("ITPULSE_TRUSTED_PROXIES")
if ITPULSE_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _seconds(name: str, default: int) -> int:
    raw = env.str(name, default=str(default)).strip()
    if not raw.isascii() or not raw.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, not {raw!r}")
    return int(raw)


if ITPULSE_BASE_URL.startswith("https://"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # A request that did not come over HTTPS (through a trusted proxy's TLS) is sent there. Behind
    # a proxy missing from ITPULSE_TRUSTED_PROXIES every request looks like plain HTTP and is
    # sent to itself again: a redirect loop that says "trust your proxy" (docs/security.md).
    SECURE_SSL_REDIRECT = True
    # Monitoring asks the app itself, inside the host or the compose network, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    # Browsers that saw ITPulse over HTTPS refuse plain HTTP to it for this long (0: off).
    SECURE_HSTS_SECONDS = _seconds("ITPULSE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("ITPULSE_HSTS_INCLUDE_SUBDOMAINS", False)
    # `check --deploy` asks for both of these. Including subdomains binds every other host of
    # the organisation's domain to HTTPS, and preloading binds the whole domain in browsers for
    # months: decisions for the domain's owner, not defaults an app may take for them.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")

# --- Celery --------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env.str("REDIS_URL", default="")
# Without Redis the embedded default uses kombu's filesystem transport: a worker with embedded
# beat (started by scripts/demo.sh) reads tasks from files in var/broker/, so send delays, office
# hours and retries work the same as in production. Every folder it writes (including the
# control folder, which otherwise lands in the working directory) stays under var/.
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Fail fast when Redis is down: the outbox (planned invitations) is the safety net, so a
    # web request must not hang on a broker that is not there.
    # (kombu's failover options: a publisher gives up after one quick retry, not after ~6 s.)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "socket_connect_timeout": 2,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
    for _folder in ("queue", "control", "processed"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = env.str("ITPULSE_QUEUE", default="itpulse")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Every entry's task is idempotent, so beat keeps no schedule file. A daily task is a crontab,
# not a 24-hour interval, which a beat restarted more often than daily would never reach.
CELERY_BEAT_SCHEDULER = "celery.beat:Scheduler"
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {"task": "surveys.tasks.expire_invitations", "schedule": 300.0},
    # The scheduler lives in the database (planned invitations with a send time); this tick
    # only looks at what is due, so nothing waits in the broker with a long countdown.
    # Weekly digests: each tick sends those whose owner's chosen weekday and hour have come.
    "followup-digests": {"task": "delivery.digests.digests_tick", "schedule": 600.0},
    "dispatch-invitations": {
        "task": "delivery.tasks.tick",
        "schedule": env.float("ITPULSE_DISPATCH_INTERVAL", default=60.0),
    },
    # Periodic surveys: scheduled drafts launched at their date (once: the launch is claimed),
    # running ones whose links expired marked finished (campaigns/tasks.py).
    "campaigns-tick": {"task": "campaigns.tasks.campaigns_tick", "schedule": 60.0},
    # Rows of recent anonymous answers rewritten so that no transaction id pairs them with their
    # invitations (privacy/resealing.py): the shorter, the less time such a pair can be read.
    "reseal-anonymous-answers": {
        "task": "privacy.tasks.reseal_anonymous_answers",
        "schedule": 300.0,
    },
    # Anonymous answers go to webhooks after their day (webhooks/anonymous.py): each run plans a
    # day that ended, once.
    "webhooks-anonymous-answers": {
        "task": "webhooks.tasks.plan_anonymous_answers",
        "schedule": 600.0,
    },
    # Retention (privacy/retention.py), at night in UTC; a missed night is caught up the next.
    "apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- Cache: rate-limit counters shared by every web worker ---------------------------------
# https://docs.djangoproject.com/en/6.1/topics/cache/
# Counters must be shared by all gunicorn workers (and hosts), so never the per-process memory
# cache: Redis when there is one (atomic INCR), else a table in the database (run
# `manage.py createcachetable`; on SQLite a count may be missed under concurrent calls, which
# the embedded default can afford).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "itpulse",
            # As for the broker: a Redis that is down must not hang a web request.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "itpulse_cache",
        }
    }

# --- API tokens and rate limits -------------------------------------------------------------
_RATE = re.compile(r"\s*([1-9][0-9]*)\s*/\s*(second|minute|hour|day|s|m|h|d)\s*")


def _rate(name: str, default: str) -> str:
    """ "600/minute" (or /second, /hour, /day; /s /m /h /d), checked at start-up."""
    raw = env.str(name, default=default)
    if not _RATE.fullmatch(raw):
        raise ImproperlyConfigured(f"{name} must look like 600/minute, not {raw!r}")
    return raw.strip()


# Calls per token (every /api/v1/ call that carries one), counted across all web workers.
ITPULSE_API_RATE = _rate("ITPULSE_API_RATE", "600/minute")
# Webhook calls that fail their signature (or name no connector), per client address.
ITPULSE_HOOK_RATE = _rate("ITPULSE_HOOK_RATE", "60/minute")
# Days a new API token is valid unless its maker says otherwise.
ITPULSE_TOKEN_DAYS = 365


_DOMAIN = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"


def _domains(raw: str) -> tuple[str, ...]:
    """ "example.org, example.nl" → ("example.org", "example.nl"); each covers its subdomains."""
    domains = []
    for item in filter(None, (part.strip().lower().lstrip("@") for part in raw.split(","))):
        if not re.fullmatch(_DOMAIN, item):
            raise ImproperlyConfigured(
                f"ITPULSE_REQUESTER_DOMAINS: expected domains such as example.org, not {item!r}"
            )
        domains.append(item)
    return tuple(domains)


# Requesters' e-mail domains a ticket may name (empty: any). A leaked token then cannot make
# ITPulse mail people outside the organisation.
ITPULSE_REQUESTER_DOMAINS = _domains(env.str("ITPULSE_REQUESTER_DOMAINS", default=""))

# --- Delivery ---------------------------------------------------------------------------------
# Defaults for the organisation-wide delivery rule (admin: Delivery rules); a team's rule wins.
ITPULSE_THROTTLE_DAYS = env.int("ITPULSE_THROTTLE_DAYS", default=14)
# A ticket closed longer ago than this is registered and counted, but not surveyed: a back-filled
# export or a late API call would otherwise ask about service long forgotten (0: no limit).
ITPULSE_MAX_TICKET_AGE_DAYS = env.int("ITPULSE_MAX_TICKET_AGE_DAYS", default=7)
if ITPULSE_MAX_TICKET_AGE_DAYS < 0:
    raise ImproperlyConfigured("ITPULSE_MAX_TICKET_AGE_DAYS: 0 (no limit) or more days")
# Invitations claimed per batch: one SMTP connection and a handful of queries per batch.
ITPULSE_DISPATCH_BATCH = env.int("ITPULSE_DISPATCH_BATCH", default=200)
# An invitation left in "sending" this long belongs to a worker that died. It must exceed
# CELERY_TASK_TIME_LIMIT, after which no live worker can still be sending it.
ITPULSE_SENDING_TIMEOUT = env.int("ITPULSE_SENDING_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60)
# /health/ fails when a message has been due longer than this: no worker or no beat is running
# (the beat's tick claims due messages every minute). docs/operations.md#monitoring
ITPULSE_HEALTH_MAX_DUE_SECONDS = env.int("ITPULSE_HEALTH_MAX_DUE_SECONDS", default=600)
ITPULSE_RETRY_BASE_SECONDS = env.float("ITPULSE_RETRY_BASE_SECONDS", default=60.0)
ITPULSE_MAX_ATTEMPTS = env.int("ITPULSE_MAX_ATTEMPTS", default=5)
# Local parts of addresses that belong to systems, not people (matched case-insensitively).
ITPULSE_SERVICE_ACCOUNTS = env.str(
    "ITPULSE_SERVICE_ACCOUNTS",
    default=r"(no-?reply|do-?not-?reply|mailer-daemon|postmaster|svc[-_.].*|.*[-_.]svc|service[-_.].*)",
)

# https://anymail.dev/en/stable/tips/securing_webhooks/ — bounce/complaint webhooks are only
# mounted (at /anymail/<esp>/tracking/) when this basic-auth "user:password" is set.
ANYMAIL = {"WEBHOOK_SECRET": env.str("ANYMAIL_WEBHOOK_SECRET", default="")}

# Bounces from a plain SMTP relay: the IMAP folder (or local Maildir) its delivery reports reach,
# read by the beat (delivery/bounces.py, docs/delivery.md). django-environ parses the URL; the
# password stays in this dict, whose "password" key Django's error pages mask, and reaches no
# log line. A URL that does not parse stops the start, with a message that quotes no password.
_MAILBOX_SCHEMES = {"imaps": 993, "imap+tls": 143, "imap": 143, "maildir": None}


def _bounce_mailbox(name: str) -> dict:
    if not env.str(name, default="").strip():
        return {}
    url = env.url(name)
    scheme = url.scheme.lower()
    if scheme not in _MAILBOX_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with imaps://, imap+tls://, imap:// or maildir://, not {scheme!r}"
        )
    if scheme == "maildir":
        if not url.path:
            raise ImproperlyConfigured(f"{name} needs a path: maildir:///var/mail/bounces")
        return {"scheme": scheme, "path": unquote(url.path)}
    try:
        port = url.port or _MAILBOX_SCHEMES[scheme]
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number") from None
    if not url.hostname or not url.username:
        raise ImproperlyConfigured(
            f"{name} needs a user and a host: imaps://user:password@host:993/INBOX"
        )
    return {
        "scheme": scheme,
        "host": url.hostname,
        "port": port,
        "user": unquote(url.username),
        "password": unquote(url.password or ""),
        "folder": unquote(url.path.lstrip("/")) or "INBOX",
    }


ITPULSE_BOUNCE_MAILBOX = _bounce_mailbox("ITPULSE_BOUNCE_MAILBOX")
if ITPULSE_BOUNCE_MAILBOX:
    CELERY_BEAT_SCHEDULE["collect-bounces"] = {
        "task": "delivery.bounces.bounces_collect",
        "schedule": 300.0,
    }

# --- Survey rules ----------------------------------------------------------------------------
ITPULSE_LINK_VALID_DAYS = env.int("ITPULSE_LINK_VALID_DAYS", default=14)

# --- Follow-up (closing the loop) ------------------------------------------------------------
# Working days (Monday–Friday) a team has to follow up a detractor before the case is overdue.
ITPULSE_FOLLOWUP_WORKING_DAYS = env.int("ITPULSE_FOLLOWUP_WORKING_DAYS", default=2)


def _team_webhooks(raw: str) -> dict[str, str]:
    """ "workplace=https://hooks.slack.com/…,network=https://…" → {slug: url}.

    Split on the first "=" only: Teams workflow URLs carry "=" in their query string.
    """
    hooks = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        slug, sep, url = item.partition("=")
        if not sep or not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                f"ITPULSE_TEAM_WEBHOOKS: expected slug=https://…, not {item!r}"
            )
        hooks[slug.strip()] = url.strip()
    return hooks


# Chat incoming webhooks per team. The URLs are secrets (anyone holding one can post), so they
# come from the environment only.
ITPULSE_TEAM_WEBHOOKS = _team_webhooks(env.str("ITPULSE_TEAM_WEBHOOKS", default=""))
ITPULSE_WEBHOOK_TIMEOUT = env.float("ITPULSE_WEBHOOK_TIMEOUT", default=5.0)
# Outgoing calls (chat alerts, webhooks, write-back) refuse loopback and private addresses, against
# server-side request forgery; true for a helpdesk or chat server inside your own network.
ITPULSE_OUTGOING_ALLOW_PRIVATE = env.bool("ITPULSE_OUTGOING_ALLOW_PRIVATE", default=False)


def _chat_formats(raw: str) -> dict[str, str]:
    """ "auto,network=slack" → {"": "auto", "network": "slack"}: a bare item is the default for
    every team, slug=format a team's own (followups/chat.py says what each format sends)."""
    formats = {"": "auto"}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        slug, sep, name = item.rpartition("=")
        if name.strip().lower() not in ("auto", "slack", "teams", "json") or (sep and not slug):
            raise ImproperlyConfigured(
                f"ITPULSE_CHAT_FORMAT: expected auto, slack, teams or json (or slug=one of "
                f"those), not {item!r}"
            )
        formats[slug.strip()] = name.strip().lower()
    return formats


# The shape of the chat alerts: Slack Block Kit, a Teams Adaptive Card, or plain JSON; "auto"
# tells Slack and Microsoft webhooks by their host.
ITPULSE_CHAT_FORMAT = _chat_formats(env.str("ITPULSE_CHAT_FORMAT", default="auto"))
# The smallest group of distinct people whose results are shown where a group could point at a
# person (anonymous teams, IT's ratings of departments, periodic surveys): surveys/privacy.py.
# ITPULSE_CUSTOMER_RATING_MIN_GROUP is its older name, still read.
ITPULSE_MIN_GROUP = env.int(
    "ITPULSE_MIN_GROUP", default=env.int("ITPULSE_CUSTOMER_RATING_MIN_GROUP", default=5)
)
if ITPULSE_MIN_GROUP < 2:
    raise ImproperlyConfigured("ITPULSE_MIN_GROUP: at least 2 (1 would show single people)")


def _days(name: str, default: int) -> int:
    """A whole number of days, at least 1: a typo must stop the start, not erase data early."""
    raw = env.str(name, default=str(default)).strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of days (1 or more), not {raw!r}"
        )
    return int(raw)


# --- Retention (privacy/retention.py, issue 13) ----------------------------------------------
# Answers, tickets, surveys and requesters older than this lose everything personal; their
# scores stay as unlinked counts.
ITPULSE_RETENTION_DAYS = _days("ITPULSE_RETENTION_DAYS", 730)
# Sent-mail copies, connector delivery logs and link clicks are deleted after this.
ITPULSE_MAIL_RETENTION_DAYS = _days("ITPULSE_MAIL_RETENTION_DAYS", 30)
# Audit events (who exported, erased, signed in, changed a role…) are deleted after this.
ITPULSE_AUDIT_RETENTION_DAYS = _days("ITPULSE_AUDIT_RETENTION_DAYS", 365)

# --- Sign-in (signin/, django-allauth; issue 14) -----------------------------------------------
# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
# Existing accounts sign in with their username; nobody signs up (accounts are made by an
# administrator or, with single sign-on, at the first sign-in through the identity provider).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# A password reset for an address nobody has sends nothing (allauth would tell the address so:
# anyone could make ITPulse mail strangers).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# No "remember me": every session ends after ITPULSE_SESSION_HOURS.
ACCOUNT_SESSION_REMEMBER = True
# The password lockout (5 failures per username and address, signin/lockout.py) replaces
# allauth's per-username limit; allauth's "login_failed" rate still counts wrong second-factor
# codes (5 per user in 15 minutes) and caps failures per address.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/15m/key"}
SOCIALACCOUNT_STORE_TOKENS = False
# The redirect URI sent to the identity provider must be the one registered there: https
# whenever ITPulse is served over https, also when a proxy forwards plain http to it.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if ITPULSE_BASE_URL.startswith("https://") else "http"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = ITPULSE_ORGANISATION


def _hours(name: str, default: int) -> int:
    raw = env.str(name, default=str(default)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 24 * 31:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of hours (1 to 744), not {raw!r}"
        )
    return int(raw)


ITPULSE_SESSION_HOURS = _hours("ITPULSE_SESSION_HOURS", 8)
SESSION_COOKIE_AGE = ITPULSE_SESSION_HOURS * 3600
# Second factor for administrators and IT managers: on by default wherever ITPULSE runs on
# PostgreSQL (production), off on the embedded SQLite default (a demo on one machine).
ITPULSE_REQUIRE_MFA = envbool("ITPULSE_REQUIRE_MFA", not EMBEDDED)

# Single sign-on with the organisation's OpenID Connect provider (docs/sso/). The issuer's
# /.well-known/openid-configuration tells the rest.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").strip().rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="").strip()
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="").strip()
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups").strip()
# The allauth provider id: part of the redirect URI registered at the identity provider
# (…/accounts/oidc/sso/login/callback/).
OIDC_PROVIDER_ID = "sso"
_oidc = {"OIDC_ISSUER": OIDC_ISSUER, "OIDC_CLIENT_ID": OIDC_CLIENT_ID}
_oidc["OIDC_CLIENT_SECRET"] = OIDC_CLIENT_SECRET
if any(_oidc.values()) and not all(_oidc.values()):
    _missing = ", ".join(name for name, value in _oidc.items() if not value)
    raise ImproperlyConfigured(
        f"Single sign-on needs all three OIDC_ variables; missing: {_missing}"
    )
if OIDC_ISSUER and not OIDC_ISSUER.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"OIDC_ISSUER must be an https:// address, not {OIDC_ISSUER!r}")
SSO_ENABLED = bool(OIDC_ISSUER)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": ITPULSE_ORGANISATION,
                    "client_id": OIDC_CLIENT_ID,
                    "secret": OIDC_CLIENT_SECRET,
                    "settings": {"server_url": OIDC_ISSUER},
                }
            ]
            if SSO_ENABLED
            else []
        ),
    }
}

# Roles a person gets from the identity provider's groups, refreshed at every sign-in.
_GLOBAL_ROLES = ("administrator", "it_manager", "auditor")


def _role_problem(role: str, colon: str, team: str) -> str:
    if role in _GLOBAL_ROLES:
        return f"{role} is for every team; give no team" if colon else ""
    if role == "team_lead":
        if re.fullmatch(r"[-a-zA-Z0-9_]+", team):
            return ""
        return "team_lead needs its team's slug: team_lead:servicedesk"
    if role == "agent":
        return "agents are linked to their tickets by an administrator, not by a group"
    return f"unknown role {role!r} (administrator, it_manager, auditor, team_lead:<team>)"


def _role_map(raw: str) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """ "itpulse-managers=it_manager,sd-leads=team_lead:servicedesk" → {group: ((role, team), …)}.

    A group may appear more than once (several roles). Agents are not mapped: an agent is tied to
    their tickets by e-mail address, which an administrator links.
    """
    mapping: dict[str, list[tuple[str, str | None]]] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        group, sep, role = (part.strip() for part in item.rpartition("="))
        role, colon, team = (part.strip() for part in role.partition(":"))
        problem = _role_problem(role, colon, team) if sep and group else "expected group=role"
        if problem:
            raise ImproperlyConfigured(f"OIDC_ROLE_MAP: {problem}, not {item!r}")
        mapping.setdefault(group, []).append((role, team or None))
    return {group: tuple(roles) for group, roles in mapping.items()}


OIDC_ROLE_MAP = _role_map(env.str("OIDC_ROLE_MAP", default=""))
# Password sign-in for everyone (true), or only for superusers (false: everyone else uses SSO).
ITPULSE_LOCAL_LOGIN = envbool("ITPULSE_LOCAL_LOGIN", True)
if not ITPULSE_LOCAL_LOGIN and not SSO_ENABLED:
    raise ImproperlyConfigured("ITPULSE_LOCAL_LOGIN=false needs single sign-on (OIDC_ISSUER …)")

# Link tokens, search terms and addresses are masked where Django writes a request (logsafe).
# A logger's filter sees only that logger's own records, so each one that writes paths has it;
# the console's catches the rest. gunicorn's access log: itpulse/gunicorn.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "surveys.logsafe.Redact"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        # "Not Found: /s/…/" and every other 4xx/5xx.
        "django.request": {"filters": ["redact"]},
        "django.security.csrf": {"filters": ["redact"]},
        # At DEBUG it logs each missing template variable with the whole context: the survey
        # page's holds the link token and the requester. Django's default ("django": INFO) hides
        # it; this keeps it hidden if someone lowers that.
        "django.template": {"level": "INFO"},
        # runserver's access log: Django's default, masked.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
