"""The header's language toggle, clicked in the browser on every page type, leads to the same
page in the other official language (the address keeps its object and query), and back."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import goto, wait_for_components
from tests.e2e.pages import ANONYMOUS, PAGE_TYPES
from tests.helpers import url

pytestmark = pytest.mark.django_db

OTHER = {"en": "fr", "fr": "en"}
TOGGLE_TEXT = {"en": "English", "fr": "Français"}


def _role(page_type):
    signed_in = [role for role in page_type.roles if role != ANONYMOUS]
    return signed_in[0] if signed_in else ANONYMOUS


def _path(page):
    return page.evaluate("location.pathname + location.search")


def _toggle(page, page_type, args, role, lang):
    """On the page in `lang`, click the toggle: the same page in the other language."""
    other = OTHER[lang]
    # The toggle names the other language in that language, and is marked as such
    toggle = page.locator("gcds-lang-toggle").get_by_role("link", name=TOGGLE_TEXT[other])
    expect(toggle).to_be_visible()
    # (the GC Design System puts the lang attribute on the gcds-link around the <a>)
    expect(page.locator("gcds-lang-toggle gcds-link")).to_have_attribute("lang", other)
    with page.expect_navigation():
        toggle.click()
    wait_for_components(page)
    assert _path(page) == url(page_type.view, *args, lang=other), f"{page_type.name} as {role}"
    expect(page.locator("html")).to_have_attribute("lang", other)


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_language_toggle_lands_on_the_same_page_in_the_other_language(portal, page_type):
    role = _role(page_type)
    page = portal.page_as(role)
    args = page_type.args(portal.world, role)
    goto(page, url(page_type.view, *args))

    # English to French, then the French page's toggle brings the reader back where they were
    _toggle(page, page_type, args, role, "en")
    _toggle(page, page_type, args, role, "fr")


def test_language_toggle_keeps_the_query_of_a_filtered_list(portal):
    page = portal.page_as("member")
    goto(page, url("members:directory") + "?q=Gagnon")
    with page.expect_navigation():
        page.locator("gcds-lang-toggle a").click()
    wait_for_components(page)
    assert _path(page) == url("members:directory", lang="fr") + "?q=Gagnon"
    expect(page.locator("#main-content")).to_contain_text("Louise Gagnon")
