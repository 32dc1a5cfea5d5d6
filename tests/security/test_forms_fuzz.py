"""Random and hostile values thrown at every form of the portal: never a server error.

The forms are found on the pages themselves (every POST form of every page an administrator
and a lead can open), so a new form is fuzzed without being listed here."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.catalog import RULES
from tests.security.urls import fill, project_routes
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
ACTION = re.compile(r"\baction=\"([^\"]*)\"", re.IGNORECASE)

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "0",
        "-1",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "2026-02-30",
        "9999-12-31 25:61",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\u202e\u0000\ufeff",
        "é" * 5000,
        "x" * 100_000,
        "[]",
        "{}",
        "@@",
        "a@b",
        "https://evil.example/",
        "javascript:alert(1)",
    ]
)
VALUE = st.one_of(HOSTILE, st.text(max_size=300), st.integers().map(str))
# Buttons and hidden fields that choose what a form does are fuzzed like the others.
IGNORED = {"csrfmiddlewaretoken"}


def _post_forms(world, client, lang="en"):
    """(url, [field names]) of every POST form on every page the client may open."""
    found = {}
    for route in project_routes():
        rule = RULES.get(route.name)
        if route.namespace == "admin" or rule is None:
            continue
        url = fill(route, rule.args(world))
        url = f"/{lang}{url}" if route.i18n else url
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for attributes, body in FORM.findall(response.content.decode()):
            if 'method="post"' not in attributes.lower():
                continue
            action = ACTION.search(attributes)
            target = unescape(action.group(1)) if action and action.group(1) else url
            if not target.startswith("/"):
                continue
            names = sorted({unescape(name) for name in FIELD.findall(body)} - IGNORED)
            # One form per view is enough (a roster has one role form per member).
            view = resolve(urlsplit(target).path).view_name
            if found.setdefault(view, (target, set()))[0] == target:
                found[view][1].update(names)
    return dict(found.values())


@pytest.mark.parametrize("role", ["admin", "member"])
def test_hostile_values_in_every_form_never_cause_a_server_error(role):
    world = build_world()
    client = Client()
    client.force_login(world.people[role])
    forms = _post_forms(world, client)
    assert forms, "no form found"
    errors = []

    def fuzz(target, names):
        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(st.fixed_dictionaries(dict.fromkeys(names, VALUE)))
        def post(data):
            response = client.post(target, data)
            if response.status_code >= 500:
                errors.append(f"POST {target} {data!r:.300}: {response.status_code}")

        post()

    for target, names in sorted(forms.items()):
        # Signing out would end the run early; it has no field to fuzz.
        if "/accounts/logout/" not in target:
            fuzz(target, names)
            client.force_login(world.people[role])  # a form may have signed the person out

    assert not errors, "\n".join(errors[:20])
