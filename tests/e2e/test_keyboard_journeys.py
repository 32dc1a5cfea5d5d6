"""Registration with the keyboard alone, in English and in French: Tab reaches every field of
the sign-up form in reading order, each with a visible focus indicator, Enter sends it, and the
confirmation and an event registration are completed the same way. No mouse click anywhere."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community
from events.models import Event
from tests.communities.factories import CommunityFactory, make_member
from tests.e2e.conftest import (
    LANGUAGES,
    goto,
    link_in_mail,
    mails_to,
    screenshot,
    sign_in,
    wait_for_components,
)
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import PASSWORD, UserFactory

# The focused element, looking through the shadow roots of the GC Design System's components.
FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    id: el.id,
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || '').trim(),
    visibleFocus: outline || style.boxShadow !== 'none',
  };
}"""

MAX_TABS = 60

TEXT = {
    "en": {
        "sign_up": "Sign Up",
        "check_inbox": "Verify Your Email Address",
        "confirm": "Confirm",
        "confirmed": "You have confirmed",
        "register": "Register",
        "registered": "You are registered. A confirmation is on its way by email.",
    },
    "fr": {
        "sign_up": "S’inscrire",
        "check_inbox": "Vérifiez votre adresse courriel",
        "confirm": "Confirmer",
        "confirmed": "Vous avez confirmé l’adresse",
        "register": "S’inscrire",
        "registered": (
            "Votre inscription est confirmée. Vous en recevrez la confirmation par courriel."
        ),
    },
}


def focused(page):
    return page.evaluate(FOCUSED)


def tab_until(page, matches, what):
    """Press Tab until `matches(focused element)`; fail if it never comes (a keyboard trap or an
    unreachable control)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if element and matches(element):
            return element
    pytest.fail(f"{what} cannot be reached with the Tab key")


def tab_to_next(page, field_id):
    page.keyboard.press("Tab")
    element = focused(page)
    assert element and element["id"] == field_id, f"Tab went to {element}, not #{field_id}"
    assert element["visibleFocus"], f"#{field_id} shows no focus indicator"
    return element


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sign_up_and_confirm_with_the_keyboard_only(page, live_server, artifacts, lang):
    t = TEXT[lang]
    email = f"clavier.{lang}@example.gc.ca"
    goto(page, url("account_signup", lang=lang))

    # Tab from the top of the page reaches the first field, then every field in order
    first = tab_until(page, lambda el: el["id"] == "id_first_name", "The given name field")
    assert first["visibleFocus"]
    page.keyboard.type("Geneviève")
    tab_to_next(page, "id_last_name")
    page.keyboard.type("Côté")
    tab_to_next(page, "id_email")
    page.keyboard.type(email)
    tab_to_next(page, "id_password1")
    page.keyboard.type(PASSWORD)
    tab_to_next(page, "id_password2")
    page.keyboard.type(PASSWORD)
    tab_to_next(page, "id_preferred_language")
    expect(page.locator("#id_preferred_language")).to_have_value(lang)
    button = tab_until(page, lambda el: el["tag"] == "button", "The sign-up button")
    assert button["text"] == t["sign_up"] and button["visibleFocus"]
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    wait_for_components(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["check_inbox"])

    # The confirmation page's button is reached and pressed with the keyboard too
    [message] = mails_to(email)
    goto(page, link_in_mail(message, "/accounts/confirm-email/", live_server))
    button = tab_until(
        page, lambda el: el["tag"] == "button" and el["text"] == t["confirm"], "Confirm"
    )
    assert button["visibleFocus"]
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    wait_for_components(page)
    expect(page.locator("#main-content")).to_contain_text(t["confirmed"])
    screenshot(page, "keyboard-sign-up", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_for_an_event_with_the_keyboard_only(page, live_server, artifacts, lang):
    t = TEXT[lang]
    community = CommunityFactory(visibility=Community.Visibility.PUBLIC)
    start = timezone.now() + datetime.timedelta(days=5)
    event = EventFactory(
        community=community,
        visibility=Event.Visibility.HOSTS,
        capacity_in_person=10,
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    member = UserFactory(verified=True, preferred_language=lang)
    make_member(community, member)
    sign_in(page, member, live_server)
    goto(page, url("events:detail", event.slug, lang=lang))

    button = tab_until(
        page, lambda el: el["tag"] == "button" and el["text"] == t["register"], "Register"
    )
    assert button["visibleFocus"]
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    wait_for_components(page)
    expect(page.locator("#main-content")).to_contain_text(t["registered"])
    screenshot(page, "keyboard-event-registration", lang)
