"""Every URL of the project, requested by every role with the private community's objects:
where the policy says no, the answer is never a page (200) and nothing changes.

The URLs come from Django's resolver, so a view added without a rule in tests/security/rules.py
fails `test_every_url_has_an_access_rule`."""

import pytest
from django.test import Client

from tests.security.catalog import RULES
from tests.security.rules import ADMINS, REFUSED
from tests.security.snapshot import changed_tables, database_fingerprint
from tests.security.urls import fill, project_routes
from tests.security.world import ROLES, build_world

pytestmark = pytest.mark.django_db

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _refused(response, rule) -> bool:
    if response.status_code in (rule.refused if rule else REFUSED):
        return True
    if rule and rule.refusal_text and response.status_code == 200:
        return rule.refusal_text in response.content.decode()
    location = response.get("Location", "")
    return response.status_code == 302 and any(path in location for path in LOGIN_PATHS)


def test_every_url_has_an_access_rule():
    missing = [
        route.name
        for route in project_routes()
        if route.namespace != "admin" and route.name not in RULES
    ]
    stale = sorted(set(RULES) - {route.name for route in project_routes()})

    assert not missing, f"URLs without an access rule in tests/security/rules.py: {missing}"
    assert not stale, f"Rules for URLs that no longer exist: {stale}"


def _check(client, url, rule, method, data, failures, label, before):
    """One refused request; returns the database's fingerprint after it, which is the next
    request's "before" (nothing else writes in between: one fingerprint a request, not two)."""
    response = getattr(client, method)(url, data)
    after = database_fingerprint()
    if response.status_code >= 500:
        failures.append(f"{label}: server error {response.status_code}")
    elif not _refused(response, rule):
        failures.append(f"{label}: answered {response.status_code}, should be refused")
    changed = changed_tables(before, after)
    if changed:
        failures.append(f"{label}: changed {changed}")
    return after


@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_every_url_refuses_the_roles_its_policy_refuses(role):
    world = build_world()
    client = Client()
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    client.get("/en/")  # the session exists before the first fingerprint
    failures = []
    fingerprint = database_fingerprint()
    for route in project_routes():
        if route.namespace == "admin":
            continue
        rule = RULES.get(route.name)
        if rule is None or role in rule.allowed:  # a missing rule fails the test above
            continue
        path = fill(route, rule.args(world))
        url = f"/en{path}" if route.i18n else path
        for method in ("get", "post"):
            fingerprint = _check(
                client,
                url,
                rule,
                method,
                rule.data(world),
                failures,
                f"{method.upper()} {url}",
                fingerprint,
            )

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["anonymous", "member", "lead", "portfolio_manager"])
def test_the_administration_site_refuses_everyone_but_administrators(role):
    world = build_world()
    assert role not in ADMINS
    client = Client()
    if world.people[role] is not None:
        client.force_login(world.people[role])
    failures = []
    for route in project_routes():
        if route.namespace != "admin" or route.name in ("admin:login", "admin:logout"):
            continue
        values = dict.fromkeys(route.parameters(), "1")
        url = "/en" + fill(route, values)
        response = client.get(url)
        if not _refused(response, None) and response.status_code != 302:
            failures.append(f"GET {url}: answered {response.status_code}")
        elif response.status_code == 302 and "/admin/login/" not in response["Location"]:
            failures.append(f"GET {url}: redirected to {response['Location']}")

    assert not failures, "\n".join(failures)
