import socket
from urllib.parse import urlsplit

import pytest


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def _own_redis_database(config, settings) -> None:
    """Under pytest-xdist, worker gwN uses Redis database (base - N): the settings were read
    before xdist names the worker, and the caches are not built yet, so they are moved here."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not worker:
        return
    parts = urlsplit(settings.REDIS_URL)
    base = int(parts.path.strip("/") or 0)
    url = parts._replace(path=f"/{(base - int(worker[2:])) % 16}").geturl()
    settings.REDIS_URL = url
    settings.CACHES["default"]["LOCATION"] = url


def pytest_configure(config):
    """Stop at once, in one line, when a backing service is down (not a page of tracebacks)."""
    from django.conf import settings

    _own_redis_database(config, settings)

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("The test suite runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.", 2)
    db_url = f"postgres://{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    if not _reachable(db_url, 5432):
        pytest.exit(
            f"PostgreSQL is not reachable at {db_url[11:]} (DATABASE_URL); "
            "start it with: docker compose up -d db redis",
            2,
        )
    if not _reachable(settings.REDIS_URL, 6379):
        pytest.exit(
            f"Redis is not reachable at {urlsplit(settings.REDIS_URL).netloc} (REDIS_URL); "
            "start it with: docker compose up -d db redis",
            2,
        )


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    """Every test starts in the default language: a page rendered in French by an earlier test
    in the same process must not leak into the messages the next one reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
