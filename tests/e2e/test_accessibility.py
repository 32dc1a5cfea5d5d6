"""axe-core (the copy shipped in the axe-playwright-python package) on every page type, signed
out and signed in as each role, in English and in French (each role in one of the two by turns,
see `_roles_audited_in`): no violation of a WCAG 2.1 A or AA rule. Every audited page is
written to test-artifacts/axe-report*.md (conftest.axe_report), one row a page, role and
language, failures included, so CI keeps the table whatever the outcome. The 320-px pass is in
test_reflow.py."""

import pytest

from tests.e2e.axe import AXE, AXE_OPTIONS, describe
from tests.e2e.conftest import LANGUAGES, goto
from tests.e2e.pages import ANONYMOUS, PAGE_TYPES
from tests.helpers import url

pytestmark = pytest.mark.django_db

# Violations found and reported to be fixed in the templates (see the e2e report): these page
# types are expected to fail until the fix lands; strict, so the fix turns them green loudly.
KNOWN = {}


def _roles_audited_in(page_type, lang):
    """The roles whose view of `page_type` is audited in `lang`: each role once per page type,
    in English or in French by turns (shifted from one page type to the next, so that every
    role is audited in both languages across the page types), and a page type seen by one role
    only in both. Two languages times every role took a third of the whole suite's time; what
    differs between the languages (text, lang attributes) is on every page type in both."""
    roles = list(page_type.roles)
    if len(roles) == 1:
        return roles
    shift = PAGE_TYPES.index(page_type)
    return [role for index, role in enumerate(roles) if LANGUAGES[(index + shift) % 2] == lang]


def _params():
    for page_type in PAGE_TYPES:
        for lang in LANGUAGES:
            marks = []
            if page_type.name in KNOWN:
                marks.append(pytest.mark.xfail(reason=KNOWN[page_type.name], strict=True))
            yield pytest.param(page_type, lang, id=f"{page_type.name}-{lang}", marks=marks)


@pytest.mark.parametrize(("page_type", "lang"), list(_params()))
def test_page_type_has_no_wcag_21_aa_violation(portal, axe_report, page_type, lang):
    world = portal.world
    if page_type.needs and page_type.needs not in world.objects:
        pytest.fail(f"{page_type.name}: no {page_type.needs} in the test world")
    failures = []
    for role in _roles_audited_in(page_type, lang):
        page = portal.page_as(role)
        path = url(page_type.view, *page_type.args(world, role), lang=lang)
        response = goto(page, path)
        assert response.status == page_type.status, (
            f"{page_type.name} as {role} ({path}): status {response.status}"
        )
        assert page.locator("html").get_attribute("lang") == lang
        violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
        axe_report.append((page_type.name, role, lang, violations))
        failures += [f"{role} {path}: {describe(v)}" for v in violations]
    assert not failures, "\n".join(failures)


def test_the_audit_reports_a_violation_when_there_is_one(portal):
    # An image without a text alternative and an unlabelled field, put on a real page: the
    # audit above is only worth something if it sees them.
    page = portal.page_as(ANONYMOUS)
    goto(page, url("home"))
    page.evaluate(
        """() => document.querySelector('#main-content').insertAdjacentHTML('beforeend',
            '<img src="/static/none.png"><input type="text" name="unlabelled">')"""
    )
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    assert {"image-alt", "label"} <= {violation["id"] for violation in violations}
