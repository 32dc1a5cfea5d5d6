"""Tests run against the real PostgreSQL and Redis (DATABASE_URL / REDIS_URL override)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cssp_portal")
# Redis database 15: the tests flush it, never the portal's own broker and cache (db 0). When
# the suite runs in parallel (pytest-xdist), worker gwN moves to database 15 - N
# (tests/conftest.py), so one worker's flush never empties another's cache.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SITE_URL = "http://testserver"

# Hashing costs up to 2 s of CPU a login; tests need none of that strength.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test suite owns its own Redis key space so it never touches a developer's data.
CACHES["default"]["KEY_PREFIX"] = "cssp-test"  # noqa: F405

# Unit tests run tasks in-process (after commit); tests of the real worker override this.
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = env("DJANGO_LOG_LEVEL", default="WARNING")  # noqa: F405

# Tests sign in as leads and administrators without an authenticator; the tests of two-factor
# enforcement (tests/cssp_portal/test_two_factor.py) turn it on.
TWO_FACTOR_REQUIRED = False

# Rate-limit counts (cssp_portal/ratelimits.py) start afresh with each test process: user ids
# repeat from one run to the next, and nothing flushes the test Redis database between runs.
RATELIMIT_CACHE_PREFIX = f"rl-test-{os.getpid()}-{os.urandom(4).hex()}:"
