"""Every program URL, requested by every role with the security world's objects: where the
policy says no, the answer is never a page and nothing changes (the project-wide harness of
tests/security, run on this app's URLs with tests/proposals/security.py)."""

import pytest
from django.test import Client

from tests.proposals.security import RULES, extend_world
from tests.security.test_url_access import _check
from tests.security.urls import fill, project_routes
from tests.security.world import ROLES, build_world

pytestmark = pytest.mark.django_db


def _program_routes():
    return [route for route in project_routes() if route.namespace == "proposals"]


def test_every_program_url_has_a_rule():
    assert sorted(route.name for route in _program_routes()) == sorted(RULES)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_every_program_url_refuses_the_roles_its_policy_refuses(role):
    world = build_world()
    extend_world(world)
    client = Client()
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    client.get("/en/")
    failures = []
    for route in _program_routes():
        rule = RULES[route.name]
        if role in rule.allowed:
            continue
        url = "/en" + fill(route, rule.args(world))
        for method in ("get", "post"):
            _check(client, url, rule, method, rule.data(world), failures, f"{method} {url}")

    assert not failures, "\n".join(failures)
