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


# Periodic work (reminders, digests, the outbox sweep) runs inside runserver while tasks are
# eager (no REDIS_URL): see cssp_portal/devscheduler.py.
INSTALLED_APPS = [*INSTALLED_APPS, "cssp_portal.devscheduler.DevSchedulerConfig"]  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # The scheduler thread and the request threads write to the same file: each transaction
    # takes the write lock when it begins, so two writers wait for each other (up to 20 s)
    # instead of one failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    DATABASES["default"]["OPTIONS"] |= {"transaction_mode": "IMMEDIATE", "timeout": 20}  # noqa: F405

# The demo accounts (an administrator, a portfolio manager, leads) sign in straight away on a
# developer's machine; TWO_FACTOR_REQUIRED=true shows what production does.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
