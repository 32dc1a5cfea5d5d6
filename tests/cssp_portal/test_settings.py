import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_with_only_the_required_variables():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="cssp_portal.settings.production",
        DJANGO_SECRET_KEY="x" * 60 + "-production-like-secret",
        DJANGO_ALLOWED_HOSTS="cop.example.gc.ca",
        REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_URL="https://cop.example.gc.ca",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_shared_cache():
    """Per-process caches would give each gunicorn worker its own rate limits, TOTP replay
    window and sessions: production names the missing variable instead of starting."""
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="cssp_portal.settings.production",
        DJANGO_SECRET_KEY="x" * 60 + "-production-like-secret",
        DJANGO_ALLOWED_HOSTS="cop.example.gc.ca",
        SITE_URL="https://cop.example.gc.ca",
    )

    assert result.returncode != 0
    assert "REDIS_URL is required in production" in result.stderr


@pytest.mark.parametrize("site_url", [None, "", "cop.example.gc.ca"])
def test_production_refuses_to_start_without_its_public_address(site_url):
    """Links in emails and calendar feeds are built from SITE_URL outside any request: without
    it they would send people to the development address. Production names the variable."""
    address = {} if site_url is None else {"SITE_URL": site_url}
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="cssp_portal.settings.production",
        DJANGO_SECRET_KEY="x" * 60 + "-production-like-secret",
        DJANGO_ALLOWED_HOSTS="cop.example.gc.ca",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **address,
    )

    assert result.returncode != 0
    assert "SITE_URL is required in production" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="cssp_portal.settings.production",
        DJANGO_ALLOWED_HOSTS="cop.example.gc.ca",
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/en/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_page_loads_nothing_from_another_site():
    templates = "\n".join(p.read_text() for p in (ROOT / "templates").rglob("*.html"))
    css = "\n".join(p.read_text() for p in (ROOT / "static").rglob("*.css"))

    assert "https://" not in templates.replace("https://www.canada.ca", "")
    assert "url(http" not in css and "@import url(http" not in css
