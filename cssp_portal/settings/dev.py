"""The embedded default: SQLite, tasks run eagerly, email printed to the console.

Set DATABASE_URL, REDIS_URL and EMAIL_URL to run the same code on PostgreSQL, Redis and SMTP.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# runserver serves the vendored files straight from static/; no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Pages are built afresh on every request here, so that an edited template shows at once;
# PAGE_CACHE_TIMEOUT=60 tries the production page cache (cssp_portal/pagecache.py).
PAGE_CACHE = {"TIMEOUT": env.int("PAGE_CACHE_TIMEOUT", default=0)}
