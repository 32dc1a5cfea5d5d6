"""Production: secrets are required, cookies are secure, HTTPS is enforced."""

from .base import *  # noqa: F403
from .base import LAYOUT_CACHE, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # no default: refuse to start without it
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# A shared cache is required: per-process caches would give each gunicorn worker its own rate
# limits, TOTP replay window and sessions cache. Refuse to start with a clear message.
if not env("REDIS_URL", default="") and not env("DJANGO_CACHE_URL", default=""):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "REDIS_URL is required in production: set it to the shared Redis the portal's "
        "processes use for their cache, e.g. REDIS_URL=redis://redis:6379/0."
    )
# Links in emails and calendar feeds are built outside any request, from SITE_URL: without it
# they would point at the development default (http://127.0.0.1:8000). Refuse to start.
SITE_URL = env("SITE_URL", default="").strip().rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SITE_URL is required in production: set it to the portal's public address, used in "
        "the links of emails and calendar feeds, e.g. SITE_URL=https://cop.example.gc.ca."
    )
if env("DJANGO_CACHE_URL", default=""):
    # An explicit shared cache instead of Redis (e.g. memcached), in django-environ's form.
    CACHES = {"default": env.cache("DJANGO_CACHE_URL"), "layout": LAYOUT_CACHE}

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/cssp_portal")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# QuerySet.iterator() (select widgets, exports) reads with a plain cursor: a server-side cursor
# costs three round trips (DECLARE, FETCH, CLOSE) for lists of a few hundred rows, and does not
# survive a transaction-pooling proxy such as PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# /healthz is probed by load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
