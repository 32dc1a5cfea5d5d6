"""Hostile values in every query parameter of every URL: never a server error (issue #16, F9).

The parameters are found, not listed: those each view reads by name (`request.GET.get("page")`,
read from the view's source, decorators unwrapped), the fields of the GET forms on its page
(filters, search), and the few every page may receive (`next`, `page`, `lang`, `q`). Every URL
is requested once with a hostile value in each of them; the views that read the query string are
then fuzzed by Hypothesis with dates at year 1 and 9999, huge and negative integers, ids that are
not numbers, unicode digits and control characters, repeated parameters. As a visitor and as a
member of the private community (tests/security/world.py)."""

import inspect
import re
from html import unescape
from pathlib import Path

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.catalog import RULES
from tests.security.urls import fill, project_routes
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

READS = re.compile(r"""request\.GET(?:\.get|\.getlist|\.__getitem__)?[\(\[]\s*["'](\w+)["']""")
GET_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
FIELD = re.compile(r"<(?:input|select|textarea|gcds-\w+)\b[^>]*\bname=\"([^\"]+)\"", re.I)
# Names any page may be given: sign-in targets, pagination, the language switch, the search box.
COMMON = ["next", "page", "lang", "q"]

DATES = ["0001-01-01", "9999-12-31", "1-1-1", "9999-12", "0001-01", "2026-02-30", "99999-01-01"]
NUMBERS = ["0", "-1", "9" * 30, str(2**63), str(2**31), "1e309", "1.5", "NaN", "0x10"]
NOT_IDS = ["abc", "²", "١٢٣", "１２", "None", "[]", "{}", "../../etc/passwd", "' OR 1=1 --"]
TEXT = ["", " ", "\x00", "a\x00b", "\u202e\ufeff", "é" * 300, "x" * 5000, "%", "%00", "\ud7ff"]
HOSTILE = st.sampled_from(DATES + NUMBERS + NOT_IDS + TEXT)
VALUE = st.one_of(HOSTILE, HOSTILE, st.text(max_size=40), st.lists(HOSTILE, min_size=2, max_size=3))
ROUNDS = [DATES, NUMBERS, NOT_IDS, TEXT]


def _view_names(path: str) -> tuple[set[str], bool]:
    """(names the view reads from request.GET, whether it reads the query string at all)."""
    try:
        func = resolve(path).func
    except Resolver404:
        return set(), False
    func = getattr(func, "view_class", func)
    func = inspect.unwrap(func)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return set(), False
    return set(READS.findall(source)), "request.GET" in source or "self.request.GET" in source


def _page_fields(html: str) -> set[str]:
    """Field names of the page's GET forms (a form without a method is a GET form)."""
    names = set()
    for attributes, body in GET_FORM.findall(html):
        if 'method="post"' in attributes.lower():
            continue
        names.update(unescape(name) for name in FIELD.findall(body))
    return names - {"csrfmiddlewaretoken"}


def _names_read_anywhere() -> set[str]:
    """Every name any module of the project reads from request.GET (helpers included, such as
    the roster's `group`): each URL gets them all once."""
    from django.conf import settings

    names = set()
    for path in Path(settings.BASE_DIR).glob("*/*.py"):
        if ".venv" not in path.parts and path.parts[-2] != "tests":
            names |= set(READS.findall(path.read_text(errors="ignore")))
    return names


def _hostile(names, index):
    values = ROUNDS[index % len(ROUNDS)]
    return {name: values[(n + index) % len(values)] for n, name in enumerate(sorted(names))}


def _sweep(world, client, errors, lang="en"):
    """Every URL the catalogue knows, requested once with a hostile value in every name any
    view reads; returns [(url, names)] of those whose view reads the query string, with the
    fields of their page's GET forms."""
    everywhere = _names_read_anywhere() | set(COMMON)
    targets = []
    for index, route in enumerate(project_routes()):
        rule = RULES.get(route.name)
        if route.namespace == "admin" or rule is None:
            continue
        try:
            url = fill(route, rule.args(world))
        except KeyError:  # a rule still being written for a new URL: test_url_access says so
            continue
        url = f"/{lang}{url}" if route.i18n else url
        if "logout" in url:
            continue
        names, reads = _view_names(url)
        swept = _get(client, url, _hostile(everywhere | names, index), errors)
        page = swept if swept.status_code == 200 else (client.get(url) if reads else None)
        if page is not None and "html" in page.get("Content-Type", ""):
            fields = _page_fields(page.content.decode())
            names |= fields
            reads = reads or bool(fields)
        if reads:
            targets.append((url, names | set(COMMON)))
    return targets


def _get(client, url, query, errors):
    response = client.get(url, query)
    if response.status_code >= 500:
        errors.append(f"GET {url} {query!r:.300}: {response.status_code}")
    return response


@pytest.mark.parametrize("role", ["anonymous", "member", "lead"])
def test_hostile_query_values_never_cause_a_server_error(role):
    world = build_world()
    # A server error is collected (its 500 answer), not raised: the report lists them all.
    client = Client(raise_request_exception=False)
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    errors = []

    # Every URL, once, with one kind of hostile value in every parameter any view reads.
    targets = _sweep(world, client, errors)
    assert len(targets) > 10, "the views that read the query string were not found"

    # Then Hypothesis on the views that read the query string.
    def fuzz(url, names):
        @settings(
            max_examples=3,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(st.fixed_dictionaries({}, optional=dict.fromkeys(sorted(names), VALUE)))
        def run(query):
            _get(client, url, query, errors)

        run()

    for url, names in targets:
        fuzz(url, names)
        if person is not None:
            client.force_login(person)

    assert not errors, "\n".join(errors[:30])
