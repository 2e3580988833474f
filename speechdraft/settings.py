"""speechdraft settings: one module, driven by environment variables (see .env.example).

Unset DATABASE_URL means a SQLite file in the project; unset REDIS_URL means Celery runs
tasks in-process. Malformed values stop start-up with a message naming the variable.
"""

import ipaddress
from pathlib import Path

import dj_database_url
from kombu import Queue

from speechdraft.env import (
    EnvError,
    env_bool,
    env_file_load,
    env_float,
    env_int,
    env_list,
    env_str,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Local runs: a git-ignored file of settings (by default .env.local, which `make` writes with a
# generated SECRET_KEY and DEBUG=true) fills in what the environment leaves unset, so that
# manage.py and pytest work without exporting anything. Empty: no file (docker-compose).
LOCAL_ENV_FILE = env_str("LOCAL_ENV_FILE", ".env.local")
if LOCAL_ENV_FILE:
    env_file_load(BASE_DIR / LOCAL_ENV_FILE)

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise EnvError(
            "SECRET_KEY is required when DEBUG is off (see .env.example; for local use,"
            " `make setup` writes .env.local with a generated one)"
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "speechdraft.core",
    "speechdraft.units",
    "speechdraft.accounts",
    "speechdraft.corpus",
    "speechdraft.library",
    "speechdraft.drafts",
    "speechdraft.exports",
    "speechdraft.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "speechdraft.core.middleware.PlainQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page requires an account unless its view is marked @login_not_required
    # (htmx requests of an expired session get 401 and a message, not the login page).
    "speechdraft.core.middleware.SessionAwareLoginRequiredMiddleware",
    "speechdraft.core.middleware.PlainRefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:
    # Production serves collected static files itself; runserver does it under DEBUG.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "speechdraft.urls"
WSGI_APPLICATION = "speechdraft.wsgi.application"

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
            ],
        },
    },
]

# Database: DATABASE_URL or a SQLite file in the project.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise EnvError(f"DATABASE_URL is malformed: {exc}") from None
    if not _db.get("NAME"):
        raise EnvError("DATABASE_URL must name a database, e.g. postgres://user@host:5432/name")
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": {"timeout": 20},
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker and cache when set; in-process tasks and a local cache when not.
REDIS_URL = redis_url()
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    # Redis down or hung must not stop editing: the cache then misses (see core/cache.py), and
    # queueing a task fails within about two seconds (the export offers 重试) instead of
    # holding the request while kombu and the result backend retry for 20 s or more.
    CACHES = {
        "default": {
            "BACKEND": "speechdraft.core.cache.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "speechdraft",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        "socket_timeout": 1,  # a publish to a hung Redis would otherwise wait forever
        # Unacknowledged tasks of a worker that died are delivered again after this long (the
        # default); an export lost that way is offered 重试 after EXPORT_STALE_SECONDS.
        "visibility_timeout": 3600,
    }
    # One retry: it reconnects when Redis restarted under a pooled connection.
    CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2}
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
    CELERY_REDIS_SOCKET_TIMEOUT = 1
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
        "retry_policy": {"max_retries": 1, "interval_start": 0.2}
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Queues, so that a slow upload never delays someone's download and a backlog of other work
# never stands in front of an export: ingestion on CELERY_CORPUS_QUEUE (its own worker), Word
# exports on CELERY_EXPORT_QUEUE, everything else (review, term re-indexing) on CELERY_QUEUE.
# A worker consuming CELERY_QUEUE also consumes CELERY_EXPORT_QUEUE (speechdraft/celery.py);
# a worker started without -Q consumes all three.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "speechdraft")
CELERY_CORPUS_QUEUE = env_str("CELERY_CORPUS_QUEUE", "corpus")
# Named after CELERY_QUEUE unless set, so that sites sharing one Redis under their own
# CELERY_QUEUE never render each other's exports.
CELERY_EXPORT_QUEUE = env_str("CELERY_EXPORT_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}-exports")
CELERY_TASK_QUEUES = [
    Queue(name)
    for name in dict.fromkeys([CELERY_TASK_DEFAULT_QUEUE, CELERY_CORPUS_QUEUE, CELERY_EXPORT_QUEUE])
]
CELERY_TASK_ROUTES = {
    "corpus.*": {"queue": CELERY_CORPUS_QUEUE},
    "exports.*": {"queue": CELERY_EXPORT_QUEUE},
}
# Export fairness: each user's exports queued or running at once; a further one is refused
# with a message (one for a draft that already waits replaces the waiting one).
EXPORT_MAX_ACTIVE_PER_USER = env_int("EXPORT_MAX_ACTIVE_PER_USER", 2, minimum=1)

# One uploaded document's ingestion, in seconds: past the soft limit it is stopped and marked
# 处理超时; past the hard one the pool process is killed (stuck where the soft one cannot reach).
# Enforced by the corpus worker with its own values (needs its prefork pool); in embedded mode
# the soft limit bounds the task in the web process (speechdraft/corpus/limits.py).
CORPUS_TASK_SOFT_TIME_LIMIT = env_int("CORPUS_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CORPUS_TASK_TIME_LIMIT = env_int(
    "CORPUS_TASK_TIME_LIMIT",
    CORPUS_TASK_SOFT_TIME_LIMIT + 30,
    minimum=CORPUS_TASK_SOFT_TIME_LIMIT + 1,
)

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "Asia/Shanghai"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
# Login throttling: after this many failed logins for one account from one address (or 4x
# for one account from anywhere) attempts for it are refused, the right password included,
# until the window has passed; 6x from one address only slows that address down.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# Reverse proxies (comma-separated IPs or CIDR networks, e.g. the TLS proxy) whose
# X-Forwarded-For is believed: for a request from one of them the client's address, which login
# throttling counts, is the right-most entry that is not a trusted proxy. Empty (the default):
# the peer's address is the client's and X-Forwarded-For is ignored, since clients can forge it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", default=[]) if env_str("TRUSTED_PROXIES") else []
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise EnvError(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")

# Mined phrases scoring below this (0–1, speechdraft.text.phrase_quality) are not stored: cut
# words, plain nouns and counted nouns stay out of the curators' 待审核 list. 0.5 keeps the
# genre's idioms, numbered slogans and balanced parallels; re-ingest with a lower value to see
# more. Keep the default equal to speechdraft.text.phrase_quality.MIN_QUALITY.
PHRASE_MIN_QUALITY = env_float("PHRASE_MIN_QUALITY", 0.5, minimum=0.0, maximum=1.0)

# Reading speed for 预计时长, in characters per minute (160-180 is usual when read aloud).
READING_RATE = env_int("READING_RATE", 170, minimum=60)

# Word export: "standard" uses the GB/T 9704 faces (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312);
# "system" uses the fonts every Chinese Windows has (宋体, 仿宋, 楷体, 黑体).
EXPORT_FONTS = env_str("EXPORT_FONTS", "standard")
if EXPORT_FONTS not in ("standard", "system"):
    raise EnvError(f"EXPORT_FONTS={EXPORT_FONTS!r} must be standard or system")
# The date under the title: "arabic" (2024年3月5日) or "chinese" (二〇二四年三月五日).
EXPORT_DATE_STYLE = env_str("EXPORT_DATE_STYLE", "arabic")
if EXPORT_DATE_STYLE not in ("arabic", "chinese"):
    raise EnvError(f"EXPORT_DATE_STYLE={EXPORT_DATE_STYLE!r} must be arabic or chinese")
# The line ——在{会议名称}上的讲话 under the title: by default only under a theme title (one
# that does not itself name the meeting, speechdraft.text.meetings.names_occasion); True: under
# every title, whenever the draft has a meeting name.
EXPORT_ALWAYS_SUBTITLE = env_bool("EXPORT_ALWAYS_SUBTITLE", default=False)
# PDF beside Word, laid out by LibreOffice headless on the worker: empty finds soffice or
# libreoffice on PATH (the option is offered only when one is found), a path or program name
# uses that, "off" offers no PDF. A conversion taking longer than EXPORT_PDF_TIMEOUT seconds
# fails with a 重试 offer.
EXPORT_PDF_PROGRAM = env_str("EXPORT_PDF_PROGRAM", "")
EXPORT_PDF_TIMEOUT = env_int("EXPORT_PDF_TIMEOUT", 120, minimum=10)
# A job still queued or running after this many seconds is considered lost and can be retried.
EXPORT_STALE_SECONDS = env_int("EXPORT_STALE_SECONDS", 300, minimum=10)

# Revision storage (speechdraft/drafts/revisions.py): each change is stored as a delta from the
# revision before it; a full snapshot starts a new chain when the deltas since the last one
# add up to as much as a full one, and at the latest after REVISION_FULL_EVERY revisions (a
# read replays at most that many small deltas). REVISION_QUOTA_BYTES: what the revisions of
# one user's drafts (not those in the 回收站) may take before further changes are refused.
# REVISION_RATE_PER_MINUTE: new revisions one user may make a minute (typing that goes on in
# the same paragraph makes none). 0 turns either limit off.
REVISION_FULL_EVERY = env_int("REVISION_FULL_EVERY", 200, minimum=1)
REVISION_QUOTA_BYTES = env_int("REVISION_QUOTA_BYTES", 200 * 1024 * 1024, minimum=0)
REVISION_RATE_PER_MINUTE = env_int("REVISION_RATE_PER_MINUTE", 120, minimum=0)

# Uploads: refuse oversized request bodies early (ingestion has its own per-file limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Corpus uploads (the admin's 上传讲话稿 page), limited per request while it is read
# (speechdraft/corpus/uploads.py): the request body (refused unread when Content-Length is
# over it), one file (the same limit ingestion applies, with the same figure in its message),
# all the request's files once unzipped (checked on the zips' directories before anything is
# decompressed) and the number of files, zip members included. Past one the page says which,
# with the figures, and accepts nothing; the reverse proxy's body limit should allow
# UPLOAD_MAX_REQUEST_BYTES. A submission is one batch, ingested as one job.
UPLOAD_MAX_REQUEST_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_FILE_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_TOTAL_UNZIPPED_BYTES = 200 * 1024 * 1024
UPLOAD_MAX_FILES = 500

if not DEBUG:
    # SECURE_COOKIES=true (the default) means the site is served over HTTPS: cookies are
    # HTTPS-only, plain HTTP is redirected and browsers are told to stay on HTTPS (HSTS).
    # SECURE_COOKIES=false is for a plain-HTTP intranet or a loopback test run.
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the container health check speaks plain HTTP
    SECURE_HSTS_SECONDS = env_int(
        "SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0, minimum=0
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Asking browsers to preload HSTS binds the whole domain (often a government
        # domain with many sites) for years; that is the domain owner's decision, so it is
        # off unless asked for and its reminder (W021) is not a deployment defect here.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
    if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
