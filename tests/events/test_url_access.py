"""The events URLs under the project's security harness (tests/security): every role the
policy refuses is refused, on GET and POST, and nothing changes in the database."""

import pytest
from django.test import Client

from tests.events.security import event_rules, extend_world
from tests.security.test_url_access import _check
from tests.security.urls import fill, project_routes
from tests.security.world import ROLES, build_world

pytestmark = pytest.mark.django_db
RULES = event_rules()


def test_every_events_url_has_a_rule():
    routes = {route.name for route in project_routes() if route.namespace == "events"}

    assert routes == set(RULES)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_events_urls_refuse_the_roles_their_policy_refuses(role):
    world = build_world()
    if not hasattr(world, "event"):  # the harness builds the events' objects once wired in
        extend_world(world)
    client = Client()
    if world.people[role] is not None:
        client.force_login(world.people[role])
    client.get("/en/")
    failures = []
    for route in project_routes():
        rule = RULES.get(route.name)
        if rule is None or role in rule.allowed:
            continue
        url = f"/en{fill(route, rule.args(world))}"
        for method in ("get", "post"):
            _check(client, url, rule, method, rule.data(world), failures, f"{method.upper()} {url}")

    assert not failures, "\n".join(failures)
