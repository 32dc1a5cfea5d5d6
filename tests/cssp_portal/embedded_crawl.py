"""Crawl the portal as `make run` serves it on the embedded default (SQLite, eager tasks).

Run by tests/cssp_portal/test_embedded_default.py in its own process, with DATABASE_URL
pointing at a fresh SQLite file: migrates, loads the CSSP data and demo accounts like
`make run`, then follows every link of the site from the home page, in English and French,
signed out and as each kind of demo account. Prints one JSON object: the pages that answered
with a server error, and the route names visited per role.
"""

from __future__ import annotations

import json
import os
import sys
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cssp_portal.settings.dev")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from members.models import User  # noqa: E402

# How many pages of the same route (and language) to visit: enough to meet each kind of page
# with different objects, few enough to keep the crawl short.
PER_ROUTE = 2
MAX_PAGES_PER_ROLE = 400
# Links that end the session or leave the portal's own pages.
SKIP_ROUTES = {"account_logout"}
SKIP_PREFIXES = ("/static/", "/media/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"a", "gcds-link", "gcds-nav-link", "gcds-button"}:
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _route(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, role: str, admin: bool) -> tuple[list[dict], set[str]]:
    failures: list[dict] = []
    seen_paths: set[str] = set()
    per_route: dict[tuple[str, str], int] = {}
    routes: set[str] = set()
    # The search box is a form, not a link: start from a search as well as the home page.
    queue = deque(
        ["/en/", "/fr/", "/en/knowledge/search/?q=exercise", "/fr/knowledge/search/?q=exercice"]
    )
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        if path in seen_paths:
            continue
        seen_paths.add(path)
        route = _route(path)
        if route is None or route in SKIP_ROUTES:
            continue
        if route.startswith("admin:") and not admin:
            continue
        key = (route, path[:4])
        if per_route.get(key, 0) >= PER_ROUTE:
            continue
        per_route[key] = per_route.get(key, 0) + 1
        visited += 1
        routes.add(route)
        try:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        except Exception as error:
            failures.append({"role": role, "path": path, "error": repr(error)[:500]})
            continue
        if response.status_code >= 500:
            failures.append({"role": role, "path": path, "status": response.status_code})
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if parts.netloc and parts.netloc not in {"127.0.0.1", "testserver"}:
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link.startswith(("/en/", "/fr/")) and not link.startswith(SKIP_PREFIXES):
                queue.append(link)
    return failures, routes


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_cssp", demo_accounts=True, verbosity=0, stdout=sys.stderr)
    roles = {
        "signed out": None,
        "member": "member1@",
        "lead": "lead.",
        "portfolio manager": "pm@",
        "administrator": "admin@",
    }
    failures: list[dict] = []
    visited: dict[str, list[str]] = {}
    for role, email_prefix in roles.items():
        client = Client(raise_request_exception=True)
        if email_prefix:
            # By address: lead.biological@ leads the first community of the directory, which
            # the crawl reaches within PER_ROUTE community pages (names sort elsewhere).
            people = User.objects.filter(email__startswith=email_prefix)
            client.force_login(people.order_by("email").first())
        role_failures, routes = crawl(client, role, admin=role == "administrator")
        failures += role_failures
        visited[role] = sorted(routes)
    json.dump({"failures": failures, "routes": visited}, sys.stdout)


if __name__ == "__main__":
    main()
