"""Agora settings: every value that differs between machines comes from the environment.

Local default (no environment at all): SQLite, eager Celery, local-memory cache, console email.
Production and CI: DATABASE_URL (PostgreSQL), REDIS_URL (Celery broker + cache), EMAIL_URL, ...
"""

import warnings
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# --- secret key (security) ----------------------------------------------------------------------
# SECRET_KEY signs sessions, password-reset and guest-order links: with a key anyone can read in
# this repository (the local default, the .env.example placeholder) a stranger forges them. With
# DEBUG off (production) settings refuse to load with one of those. `make run` gives each clone a
# random key of its own (see the Makefile); the tests use config/settings_test.py.
PUBLIC_SECRET_KEYS = frozenset(
    {"agora-insecure-local-key-change-me-in-production", "change-me-to-a-long-random-string"}
)
# An empty SECRET_KEY (e.g. exported by `make` before the clone's key exists) counts as unset.
SECRET_KEY = env.str("SECRET_KEY", default="") or "agora-insecure-local-key-change-me-in-production"
if not DEBUG and SECRET_KEY in PUBLIC_SECRET_KEYS:
    raise ImproperlyConfigured(
        "SECRET_KEY is the public default or the .env.example placeholder and DEBUG is off: "
        "set SECRET_KEY to a long random string, e.g. "
        'python -c "import secrets; print(secrets.token_urlsafe(50))".'
    )
# -------------------------------------------------------------------------------------------------
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    # Django's admin, whose "view on site" checks the object is one the admin shows the user.
    "shop.core.admin_site.AgoraAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "shop.core",
    "shop.accounts",
    "shop.catalog",
    "shop.cart",
    "shop.orders",
    "shop.payments",
    "shop.pages",
    "social.graph",
    "social.notifications",
    "social.feed",
    "social.likes",
    "social.recommendations",
    "reviews",
    "reviews.questions",
    "reviews.reputation",
    "gifting.wishlists",
    "gifting.pools",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shop.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "shop.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A product page opened through a share link (?s=): the visit is recorded.
    "social.likes.share_middleware.ShareVisitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "shop.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the live-server browser tests and the dev server read while another request writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
    # Writers queue for the lock (busy timeout) instead of failing with "database is locked"
    # when two requests upgrade read transactions to writes at once (e.g. two checkouts).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    # psycopg may prepare statements on the server (Django turns that off by default, for
    # poolers in transaction mode: none here; PgBouncer >= 1.21 with max_prepared_statements
    # copes, or DATABASE_PREPARED_STATEMENTS=0). Only the cursors of
    # shop.core.compiled_reads.compiled_cursor bind on the server and so are prepared, at their
    # first run; Django's own cursors bind on the client and are never prepared.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis that is down or slow is a cache miss, never an error (shop.core.cache).
            "BACKEND": "shop.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="agora"),
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "BREAKER_SECONDS": env.float("CACHE_BREAKER_SECONDS", default=5.0),
            },
        }
    }
else:
    # Room for the catalogue's per-product cards and versions (the default holds 300 entries).
    CACHES = {
        "default": {
            "BACKEND": "shop.core.cache.LocalMemoryCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Celery: a real Redis broker when REDIS_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sending a task from a request must fail fast when Redis is away (shop.core.enqueue): one
# connection attempt with a short timeout, no publish retries. What must not be lost is in
# the outbox and is sent again by beat. Workers reconnect on their own terms
# (broker_connection_max_retries). The socket timeout stays above BRPOP's 1 s poll.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=0.5),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
    "max_retries": 0,
}
# The result backend retried for ~19 s by default before a .delay() gave up.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=0.5)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
}
CELERY_BEAT_SCHEDULE = {
    "orders-expire-unpaid": {"task": "shop.orders.tasks.orders_expire_unpaid", "schedule": 60.0},
    "outbox-redeliver": {"task": "shop.core.tasks.outbox_redeliver", "schedule": 60.0},
    "outbox-purge": {"task": "shop.core.tasks.outbox_purge", "schedule": 86400.0},
    "recommendations-picks-refresh": {
        "task": "social.recommendations.products_tasks.picks_refresh_stale",
        "schedule": 60.0,
    },
    "orders-payments-reconcile": {
        "task": "shop.orders.tasks.orders_payments_reconcile",
        "schedule": 300.0,
    },
    "carts-abandoned-delete": {
        "task": "shop.cart.tasks.carts_abandoned_delete",
        "schedule": 3600.0,
    },
    "feeds-trim": {"task": "social.feed.tasks.feeds_trim", "schedule": 3600.0},
    # Invitations to review, REVIEWS_INVITE_AFTER_DAYS after delivery (once per line).
    "reviews-invitations-send": {
        "task": "reviews.tasks.review_invitations_send",
        "schedule": 3600.0,
    },
    # "Ask my friends" questions close 7 days after they opened (reads already treat them as
    # closed; this marks them, once: a second run finds none).
    "asks-expire": {"task": "social.likes.ask_tasks.asks_expire", "schedule": 600.0},
    # Wishlist claims left unpaid WISHLIST_CLAIM_DAYS are released (once: a second run finds
    # none).
    "wishlist-claims-expire": {
        "task": "gifting.wishlists.tasks.claims_expire",
        "schedule": 3600.0,
    },
    # Fan-outs a killed worker or a lost task left half-done go on from their cursors.
    "feed-fanouts-resume": {"task": "social.feed.tasks.fanouts_resume", "schedule": 300.0},
    # Gift pools: reservations whose payment never came are released, pools past their
    # deadline expire, organisers are reminded a day before, pools left alone after expiring
    # are refunded, refunds the gateway could not make are retried with backoff, and
    # succeeded contribution payments nobody applied are applied (each safe to run twice).
    "pools-contributions-expire": {
        "task": "gifting.pools.tasks.contributions_expire",
        "schedule": 60.0,
    },
    "pools-deadline-pass": {"task": "gifting.pools.tasks.pools_deadline_pass", "schedule": 60.0},
    "pools-expiring-remind": {
        "task": "gifting.pools.tasks.pools_expiring_remind",
        "schedule": 3600.0,
    },
    "pools-abandoned-refund": {
        "task": "gifting.pools.tasks.pools_abandoned_refund",
        "schedule": 3600.0,
    },
    "pools-unchosen-refund": {
        "task": "gifting.pools.tasks.pools_unchosen_refund",
        "schedule": 3600.0,
    },
    "pools-refunds-retry": {"task": "gifting.pools.tasks.pool_refunds_retry", "schedule": 60.0},
    "pools-payments-reconcile": {
        "task": "gifting.pools.tasks.pool_payments_reconcile",
        "schedule": 300.0,
    },
    "personal-data-exports-expire": {
        "task": "shop.accounts.tasks.personal_data_exports_expire",
        "schedule": 3600.0,
    },
    # Django's clearsessions: expired sessions are never read, only kept until deleted.
    "sessions-expired-delete": {
        "task": "shop.accounts.tasks.sessions_expired_delete",
        "schedule": 86400.0,
    },
    # The daily digest of the notifications people asked to get once a day, every morning at
    # NOTIFICATIONS_DIGEST_HOUR in TIME_ZONE, whenever beat was started (what waits is marked
    # sent under its rows' locks: a second run sends nothing twice).
    "notifications-digest-daily": {
        "task": "social.notifications.tasks.notification_digests_send",
        "schedule": crontab(minute=0, hour=env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)),
    },
}

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, whose get_user (every signed-in request) reads the user's row
# with a query compiled once, fresh from the database (shop.accounts.backends).
AUTHENTICATION_BACKENDS = [
    "shop.accounts.backends.AuthenticationBackend",
    "shop.accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The first hasher hashes new passwords (Argon2id, costs chosen in shop/accounts/hashers.py);
# the others only verify older hashes, which Django re-hashes with the first at the next log-in.
# MD5 is no longer accepted: no stored hash ever used it (PBKDF2 was always first).
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "shop.accounts.hashers.StoreArgon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

# django-allauth: email is the login, verified by a link before the account is used.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Account emails are rendered by allauth and sent by Celery after the commit.
ACCOUNT_ADAPTER = "shop.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "shop.accounts.forms.LoginForm",
    "signup": "shop.accounts.forms.SignupForm",
    "add_email": "shop.accounts.forms.AddEmailForm",
    "change_password": "shop.accounts.forms.ChangePasswordForm",
    "reset_password": "shop.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "shop.accounts.forms.ResetPasswordKeyForm",
}
# Rate limits (allauth keeps the counters in the cache): failed logins per IP and per account.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
# Beat's crontab entries (the daily digest's hour) are in the shop's time zone.
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

STORE_CURRENCY = env.str("STORE_CURRENCY", default="EUR")

# The feed (social.feed): people who logged in within FEED_ACTIVE_DAYS get activities pushed
# (others' feeds are rebuilt when they return); accounts with more followers than
# FEED_PULL_THRESHOLD are pulled at read time; each feed keeps its newest FEED_MAX_ITEMS. A
# fan-out writes FEED_FANOUT_CHUNK feeds per statement (and transaction): 5,000 rows, some
# 20 ms on PostgreSQL, so a chunk's fixed cost (planning, the window's scan of people) stays
# small (bench/feed_bench.py: 5,000 feeds in 0.021 s in one chunk, 0.024 s in chunks of 2,000).
FEED_ACTIVE_DAYS = env.int("FEED_ACTIVE_DAYS", default=7)
FEED_PULL_THRESHOLD = env.int("FEED_PULL_THRESHOLD", default=10_000)
FEED_MAX_ITEMS = env.int("FEED_MAX_ITEMS", default=800)
FEED_FANOUT_CHUNK = env.int("FEED_FANOUT_CHUNK", default=5000)
# People you may know (social.recommendations): each person's ranking is kept this long (the
# people in it are re-checked on every read); 0 ranks on every request.
PEOPLE_SUGGESTIONS_CACHE_SECONDS = env.int("PEOPLE_SUGGESTIONS_CACHE_SECONDS", default=300)
STORE_NAME = env.str("STORE_NAME", default="Agora")
# Reviews: only buyers (a shipped or delivered line) may review; the product list's rating
# sort damps an average of n ratings towards the store's mean m as (n·avg + C·m) / (n + C),
# C this damping; the invitation to review comes this many days after delivery; reviews with
# a word of this list wait in the operators' queue.
# Wishlists: a claim not bought within this many days is released for others to claim.
WISHLIST_CLAIM_DAYS = env.int("WISHLIST_CLAIM_DAYS", default=14)
REVIEWS_BUYERS_ONLY = env.bool("REVIEWS_BUYERS_ONLY", default=False)
REVIEWS_RATING_DAMPING = env.int("REVIEWS_RATING_DAMPING", default=10)
REVIEWS_INVITE_AFTER_DAYS = env.int("REVIEWS_INVITE_AFTER_DAYS", default=5)
REVIEWS_FLAG_WORDS = env.list(
    "REVIEWS_FLAG_WORDS", default=["scam", "idiot", "stupid", "hate", "viagra", "casino"]
)


def _vat_rate_basis_points(text: str) -> int:
    """'21' or '5.5' (percent, at most 2 decimals) -> 2100 or 550; no float on the way."""
    try:
        basis_points = Decimal(text.strip()) * 100
    except InvalidOperation:
        basis_points = Decimal(-1)
    if basis_points != basis_points.to_integral_value() or not 0 <= basis_points < 10000:
        raise ImproperlyConfigured(
            f"STORE_VAT_RATE={text!r}: give the VAT rate in percent from 0 to 99.99, "
            "e.g. 21 or 5.5."
        )
    return int(basis_points)


# Prices include VAT at this rate (one rate for the whole store): env STORE_VAT_RATE in percent
# (default 21), kept in basis points (2100 = 21%) so VAT is worked out in integers. Each order
# keeps the rate and amount it was placed with (shop.orders.vat); 0 shows no VAT line.
STORE_VAT_RATE_BASIS_POINTS = _vat_rate_basis_points(env.str("STORE_VAT_RATE", default="21"))

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files only their owner may fetch, through a view that checks who asks (a person's "download
# my data" ZIP): never inside MEDIA_ROOT, which the web server may serve to anyone.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Static files come straight from static/ (no collectstatic needed) unless turned off in production.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_AUTOREFRESH = env.bool("WHITENOISE_AUTOREFRESH", default=DEBUG)
# Without collectstatic there is no STATIC_ROOT; the finders serve static/ and that is fine.
warnings.filterwarnings("ignore", message="No directory at")

# Uploads: bytes and pixels beyond these are refused before decoding (decompression bombs).
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Agora <shop@agora.localhost>")

# "fake" (local default: Stripe's test cards, no network) or "stripe".
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="fake")
# An unpaid order keeps its stock this long, then expires and gives it back.
ORDER_PAYMENT_TIMEOUT_MINUTES = env.int("ORDER_PAYMENT_TIMEOUT_MINUTES", default=30)
# A contribution to a gift pool holds its share of the target this long while its payment
# is pending, then is released.
POOL_RESERVATION_MINUTES = env.int("POOL_RESERVATION_MINUTES", default=30)
# An expired or closed pool whose organiser does nothing for this many days refunds everyone.
POOL_REFUND_AFTER_DAYS = env.int("POOL_REFUND_AFTER_DAYS", default=3)
# A pool refund that failed this many times stops being retried on its own: operators are
# emailed and retry it from the admin (one the gateway refuses for good stops at once).
POOL_REFUND_MAX_ATTEMPTS = env.int("POOL_REFUND_MAX_ATTEMPTS", default=8)
# Signs the fake gateway's webhooks (local/tests); with none set, fake webhooks are refused.
PAYMENT_FAKE_WEBHOOK_SECRET = env.str("PAYMENT_FAKE_WEBHOOK_SECRET", default="")
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
STRIPE_TIMEOUT_SECONDS = env.int("STRIPE_TIMEOUT_SECONDS", default=30)
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# Stripe.js, the one outside script (pay pages in Stripe mode only; the CSP names its origin).
# Tests point it at localstripe's stand-in (http://127.0.0.1:<port>/js.stripe.com/v3/).
STRIPE_JS_URL = env.str("STRIPE_JS_URL", default="https://js.stripe.com/v3/")

# How long anonymous catalogue fragments stay cached at most; every catalogue write also
# bumps the catalogue version, so a change shows at once (see shop.catalog.services).
CATALOG_CACHE_SECONDS = env.int("CATALOG_CACHE_SECONDS", default=300)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "shop.core.api.StandardPagination",
    "PAGE_SIZE": 24,
    "EXCEPTION_HANDLER": "shop.core.api.exception_handler",
    # Throttles read their rates from API_THROTTLE_RATES below (see shop.core.throttling).
    "DEFAULT_THROTTLE_CLASSES": [
        "shop.core.throttling.VisitorRateThrottle",
        "shop.core.throttling.UserRateThrottle",
        "shop.core.throttling.ScopedRateThrottle",
    ],
    # Proxies in front of the app that append to X-Forwarded-For: the client IP a visitor is
    # throttled by is the one the last of them saw. 0 (no proxy) uses REMOTE_ADDR, so a client
    # cannot dodge its limit by sending a made-up X-Forwarded-For.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    # Ours refuses deeply nested JSON with a 400 (DRF's lets the decoder's RecursionError out).
    "DEFAULT_PARSER_CLASSES": [
        "shop.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's, remembering its answer per Accept header (shop.core.negotiation).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "shop.core.negotiation.ContentNegotiation",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
# --- API throttling (security) -------------------------------------------------------------------
# Requests per second/minute/hour/day, per visitor IP ("anon") or per account (the others).
# "discount" covers checking and applying discount codes, "payment" paying an order, "login" and
# "signup" the API's account endpoints; allauth's HTML forms have ACCOUNT_RATE_LIMITS above.
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="300/minute"),
    "user": env.str("API_THROTTLE_USER", default="600/minute"),
    "discount": env.str("API_THROTTLE_DISCOUNT", default="10/minute"),
    "payment": env.str("API_THROTTLE_PAYMENT", default="10/minute"),
    "login": env.str("API_THROTTLE_LOGIN", default="10/minute"),
    "signup": env.str("API_THROTTLE_SIGNUP", default="5/minute"),
}
# -------------------------------------------------------------------------------------------------

SPECTACULAR_SETTINGS = {
    "TITLE": "Agora API",
    "DESCRIPTION": "Social-commerce storefront API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Swagger UI's assets are served from our own static files: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "shop.orders.models.Order.Status",
        "PaymentStatusEnum": "shop.payments.models.Payment.Status",
        "ProfileVisibilityEnum": "social.graph.models.PROFILE_CHOICES",
        "SharingVisibilityEnum": "social.graph.models.SHARING_CHOICES",
        "VisibilityEnum": "shop.core.visibility.Visibility",
        "NotificationDeliveryEnum": "social.notifications.models.Delivery",
        "DiscountKindEnum": "shop.cart.models.DiscountCode.Kind",
        "PickReasonEnum": "social.recommendations.models.PickReason",
        "AnswerRoleEnum": "reviews.questions.models.Answer.Role",
        "WishlistPriorityEnum": "gifting.wishlists.models.WishlistItem.Priority",
    },
}

# Database sessions (Django's table and writes), read with a query compiled once. Not cached:
# a cached session outlives a log-out in another process (local-memory cache) or one made
# while Redis was unreachable (shop.accounts.session_reads).
SESSION_ENGINE = "shop.accounts.sessions"

# --- HTTPS, cookies and the Content-Security-Policy (security) ----------------------------------
# Off by default so `make run` serves plain http://127.0.0.1:8000; docker-compose.yml turns
# them on (the site behind a TLS-terminating proxy that sets X-Forwarded-Proto).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# The health check asks over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# The policy itself is shop.core.middleware's: scripts and styles from static/ only, no
# 'unsafe-inline'. On everywhere by default, so every test and browser test runs under it.
CSP_ENABLED = env.bool("CSP_ENABLED", default=True)
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
CSP_REPORT_URI = env.str("CSP_REPORT_URI", default="")
# Origins added site-wide to each directive (comma-separated), e.g. object storage for media
# in CSP_EXTRA_IMG_SRC. Stripe mode adds Stripe.js and its API below.
CSP_EXTRA_SCRIPT_SRC = env.list("CSP_EXTRA_SCRIPT_SRC", default=[])
CSP_EXTRA_STYLE_SRC = env.list("CSP_EXTRA_STYLE_SRC", default=[])
CSP_EXTRA_IMG_SRC = env.list("CSP_EXTRA_IMG_SRC", default=[])
CSP_EXTRA_CONNECT_SRC = env.list("CSP_EXTRA_CONNECT_SRC", default=[])
CSP_EXTRA_FRAME_SRC = env.list("CSP_EXTRA_FRAME_SRC", default=[])
if PAYMENT_GATEWAY == "stripe":
    # Stripe.js runs its card fields and the bank's 3-D Secure check in frames of its own
    # and calls Stripe's API from the page (https://docs.stripe.com/security/guide#content-security-policy).
    _stripe_js = urlsplit(STRIPE_JS_URL)
    _stripe_js_origin = f"{_stripe_js.scheme}://{_stripe_js.netloc}"
    _stripe_api = urlsplit(STRIPE_API_BASE or "https://api.stripe.com")
    CSP_EXTRA_SCRIPT_SRC = [*CSP_EXTRA_SCRIPT_SRC, _stripe_js_origin, "https://*.js.stripe.com"]
    CSP_EXTRA_FRAME_SRC = [
        *CSP_EXTRA_FRAME_SRC,
        _stripe_js_origin,
        "https://*.js.stripe.com",
        "https://hooks.stripe.com",
    ]
    CSP_EXTRA_CONNECT_SRC = [
        *CSP_EXTRA_CONNECT_SRC,
        f"{_stripe_api.scheme}://{_stripe_api.netloc}",
    ]
# -------------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Media from the local folder through Django (local default); off behind a real web server.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
