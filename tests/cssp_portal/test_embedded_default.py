"""`make run` works on the embedded default: SQLite, tasks run eagerly, no Redis.

The rest of the suite runs on PostgreSQL, so a PostgreSQL-only query (an ArraySubquery once
broke the member directory this way) would pass every other test and still fail a newcomer's
first `make run`. This test crawls the seeded portal on SQLite in its own process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

# Pages each role must have reached, so a crawl stopped early cannot pass unnoticed.
EXPECTED_ROUTES = {
    "signed out": {"home", "communities:list", "communities:detail", "events:list"},
    "member": {
        "home",
        "members:directory",
        "members:profile",
        "communities:detail",
        "events:list",
        "knowledge:search",
    },
    "lead": {"communities:roster", "communities:edit", "events:create"},
    "portfolio manager": {"proposals:dashboard"},
    "administrator": {"admin:index"},
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("embedded")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "DJANGO_SETTINGS_MODULE": "cssp_portal.settings.dev",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.cssp_portal.embedded_crawl"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


def test_no_page_of_the_seeded_portal_fails_on_sqlite(crawl):
    assert crawl["failures"] == []


@pytest.mark.parametrize("role", EXPECTED_ROUTES)
def test_the_crawl_reaches_the_main_pages(crawl, role):
    missing = EXPECTED_ROUTES[role] - set(crawl["routes"][role])
    assert not missing, f"{role} never reached {sorted(missing)}"
