"""Every page type in a window 320 CSS px wide (WCAG 1.4.10, Reflow): the document is no wider
than the window, signed out and signed in as member, lead, portfolio manager and administrator,
in English and French, and axe runs again on the narrow layout of each page type (a table that
scrolls in its own region must be focusable and named). A file of its own so that it runs beside
the full audit (test_accessibility.py), not after it."""

import pytest

from tests.e2e.axe import AXE, AXE_OPTIONS, describe
from tests.e2e.conftest import LANGUAGES, goto
from tests.e2e.pages import ANONYMOUS, PAGE_TYPES, PORTFOLIO_MANAGER, SIGNED_IN
from tests.helpers import url

pytestmark = pytest.mark.django_db

NARROW = 320

# The widest elements that stick out of the window, to name the culprit when a page overflows.
OVERFLOW_REPORT = """(limit) => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.right > limit + 0.5 && box.width > 0) {
            const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string'
                   ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
            out.push(name + ' ' + Math.round(box.left) + '-' + Math.round(box.right) + 'px');
        }
    }
    return out.slice(-5);
}"""


def document_overflow(page):
    """(document width, viewport width, the elements sticking out) of the page as shown."""
    width, viewport = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    culprits = page.evaluate(OVERFLOW_REPORT, viewport) if width > viewport else []
    return width, viewport, culprits


def _narrow_roles(page_type):
    # The portfolio manager sees every page a member sees (and the program pages of their own).
    roles = list(page_type.roles)
    if set(SIGNED_IN) <= set(roles) and PORTFOLIO_MANAGER not in roles:
        roles.append(PORTFOLIO_MANAGER)
    return roles


def _narrow_params():
    for page_type in PAGE_TYPES:
        for lang in LANGUAGES:
            yield pytest.param(page_type, lang, id=f"{page_type.name}-{lang}-320px")


@pytest.mark.parametrize(("page_type", "lang"), list(_narrow_params()))
def test_page_type_reflows_at_320_px_without_sideways_scrolling(
    portal, axe_report, page_type, lang
):
    world = portal.world
    if page_type.needs and page_type.needs not in world.objects:
        pytest.fail(f"{page_type.name}: no {page_type.needs} in the test world")
    failures = []
    for role in _narrow_roles(page_type):
        page = portal.page_as(role, width=NARROW)
        path = url(page_type.view, *page_type.args(world, role), lang=lang)
        response = goto(page, path)
        assert response.status == page_type.status, (
            f"{page_type.name} as {role} ({path}): status {response.status}"
        )
        width, viewport, culprits = document_overflow(page)
        assert viewport == NARROW
        if width > viewport:
            failures.append(f"{role} {path}: {width} px wide; {', '.join(culprits)}")
        # axe once per page type on the narrow layout (in French, the longer text, as the role
        # that sees the most of it): the scroll regions' names and focus; a full second audit
        # would double the suite's longest file.
        if lang == "fr" and role == page_type.roles[-1]:
            violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
            axe_report.append((f"{page_type.name} (320 px)", role, lang, violations))
            failures += [f"{role} {path} at 320 px: {describe(v)}" for v in violations]
    assert not failures, "\n".join(failures)


def test_the_reflow_check_sees_a_page_wider_than_the_window(portal):
    # A table wider than 320 px put on a real page outside any scroll region: the pass above
    # is only worth something if it catches it.
    page = portal.page_as(ANONYMOUS, width=NARROW)
    goto(page, url("home", lang="fr"))
    assert document_overflow(page)[0] <= NARROW
    page.evaluate(
        """() => document.querySelector('#main-content').insertAdjacentHTML('beforeend',
            '<table class="portal-table"><tr><td style="min-width: 600px">x</td></tr></table>')"""
    )
    width, viewport, culprits = document_overflow(page)
    assert width > viewport
    assert any(name.startswith("td") for name in culprits)
