"""Every text a person can write is rendered inert, and every form carries its CSRF token.

The hostile text goes into every free-text column of every table of the project (names,
titles, summaries, messages, bios, Markdown sources...), then every page is read as each role
that may see it: the script must never come back as markup."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tests.security.catalog import RULES
from tests.security.urls import fill, project_routes
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

PAYLOAD = "\"'><script>alert('xss')</script><img src=x onerror=alert(1)>"
SHORT_PAYLOAD = "<b onmouseover=x>"
PROJECT_APPS = {"members", "communities", "events", "proposals", "knowledge", "notifications"}
# Columns that are not free text a person types: identifiers, secrets, addresses and the HTML
# the portal itself produced from Markdown (re-rendered from the hostile source below).
NOT_FREE_TEXT = re.compile(r"(^|_)(slug|token|key|hash|secret|password|email|url|link|html)(_|$)")


def _free_text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if field.choices or field.primary_key or field.unique or NOT_FREE_TEXT.search(field.name):
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField):
            continue
        yield field


def poison_every_text():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        values = {}
        for field in _free_text_fields(model):
            if field.max_length and field.max_length < len(PAYLOAD):
                if field.max_length >= len(SHORT_PAYLOAD):
                    values[field.attname] = SHORT_PAYLOAD
            else:
                values[field.attname] = PAYLOAD
        if values:
            model.objects.update(**values)


UNSAFE = [
    re.compile(r"<script>alert\('xss'\)", re.IGNORECASE),
    re.compile(r"<img src=x onerror", re.IGNORECASE),
    re.compile(r"<b onmouseover", re.IGNORECASE),
]
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


@pytest.mark.parametrize("role", ["anonymous", "member", "lead", "portfolio_manager", "admin"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_hostile_text_in_every_field_renders_inert_on_every_page(role, lang):
    world = build_world()
    poison_every_text()
    for rerender in RERENDERERS:
        rerender(world)
    client = Client()
    if world.people[role] is not None:
        client.force_login(world.people[role])
    problems, pages = [], 0
    for route in project_routes():
        rule = RULES.get(route.name)
        if route.namespace == "admin" or rule is None or role not in rule.allowed:
            continue
        url = fill(route, rule.args(world))
        url = f"/{lang}{url}" if route.i18n else url
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url}: server error")
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        body = response.content.decode()
        for unsafe in UNSAFE:
            if unsafe.search(body):
                problems.append(f"GET {url}: renders {unsafe.pattern!r} as markup")
        for form in POST_FORM.findall(body):
            if "csrfmiddlewaretoken" not in form:
                problems.append(f"GET {url}: a POST form without its CSRF token")

    assert pages > 5
    assert not problems, "\n".join(problems)


# Apps whose pages show HTML the portal made from Markdown register here how to make it again
# from the (now hostile) source, the way their services do.
RERENDERERS = []


def test_a_post_without_its_csrf_token_is_refused_everywhere():
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["admin"])
    # RFC 8058 one-click unsubscribe: mail clients POST without a session or a token; the
    # signed token in the URL is the proof.
    exempt = {"notifications:unsubscribe"}
    accepted = []
    for route in project_routes():
        rule = RULES.get(route.name)
        if route.namespace == "admin" or rule is None or route.name in exempt:
            continue
        url = fill(route, rule.args(world))
        url = f"/en{url}" if route.i18n else url
        response = client.post(url, rule.data(world))
        if response.status_code not in (403, 405):
            accepted.append(f"POST {url}: {response.status_code}")

    assert not accepted, "\n".join(accepted)
