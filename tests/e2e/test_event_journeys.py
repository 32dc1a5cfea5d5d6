"""Event journeys in the browser, in English and in French: register for an event until it is
full, join the waitlist, be promoted when a seat frees up; subscribe to the personal calendar
feed and find one's events in it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Community
from events.models import Event
from tests.communities.factories import CommunityFactory, make_member
from tests.e2e.conftest import LANGUAGES, goto, mails_to, screenshot, sign_in
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import UserFactory

TEXT = {
    "en": {
        "title": "Decontamination workshop",
        "register": "Register",
        "registered": "You are registered. A confirmation is on its way by email.",
        "registered_state": "You are registered (",
        "seats_full": "0 seats left of 1",
        "full": "The event is full: you are on the waitlist.",
        "position": "You are on the waitlist (position 1).",
        "cancel": "Cancel my registration",
        "cancelled": "Your registration was cancelled.",
        "confirm_subject": "You are registered: Decontamination workshop",
        "waitlist_subject": "You are on the waitlist: Decontamination workshop",
        "promoted_subject": "A seat freed up: you are registered for Decontamination workshop",
        "subscribe": "Subscribe to all my events",
        "feed_title": "Subscribe to my events",
        "feed_label": "Your personal calendar address",
        "feed_name": "CSSP events",
    },
    "fr": {
        "title": "Atelier sur la décontamination",
        "register": "S’inscrire",
        "registered": (
            "Votre inscription est confirmée. Vous en recevrez la confirmation par courriel."
        ),
        "registered_state": "Votre inscription est confirmée (",
        "seats_full": "0 place libre sur 1",
        "full": "L’événement est complet : vous êtes sur la liste d’attente.",
        "position": "Vous êtes sur la liste d’attente (rang 1).",
        "cancel": "Annuler mon inscription",
        "cancelled": "Votre inscription a été annulée.",
        "confirm_subject": "Inscription confirmée\xa0: Atelier sur la décontamination",
        "waitlist_subject": "Vous êtes sur la liste d’attente\xa0: Atelier sur la décontamination",
        "promoted_subject": (
            "Une place s’est libérée\xa0: votre inscription à "
            "«\xa0Atelier sur la décontamination\xa0» est confirmée"
        ),
        "subscribe": "M’abonner à tous mes événements",
        "feed_title": "M’abonner à mes événements",
        "feed_label": "Votre adresse de calendrier personnelle",
        "feed_name": "Événements du PCSS",
    },
}


@pytest.fixture
def workshop():
    """A published in-person workshop with a single seat, for the members of its community."""
    community = CommunityFactory(
        name_en="Chemical", name_fr="Chimique", visibility=Community.Visibility.PUBLIC
    )
    start = (timezone.now() + datetime.timedelta(days=10)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    event = EventFactory(
        community=community,
        title_en=TEXT["en"]["title"],
        title_fr=TEXT["fr"]["title"],
        slug="decontamination-workshop",
        visibility=Event.Visibility.HOSTS,
        capacity_in_person=1,
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    return community, event


def _member(community, lang, first_name):
    user = UserFactory(verified=True, preferred_language=lang, first_name=first_name)
    make_member(community, user)
    return user


@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_fill_the_event_wait_and_be_promoted(
    page, new_page, live_server, artifacts, workshop, lang
):
    t = TEXT[lang]
    community, event = workshop
    first, second = _member(community, lang, "Amélie"), _member(community, lang, "Benoît")
    event_url = url("events:detail", event.slug, lang=lang)
    main = "#main-content"

    # The first member takes the only seat
    sign_in(page, first, live_server)
    goto(page, event_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(t["title"])
    page.locator(main).get_by_role("button", name=t["register"], exact=True).click()
    # The confirmation is a message the person can see (a GC notice renders nothing without
    # its notice-role), not only text somewhere in the page.
    expect(page.locator(".portal-messages").get_by_text(t["registered"])).to_be_visible()
    expect(page.locator(main)).to_contain_text(t["seats_full"])
    assert [m.subject for m in mails_to(first.email)] == [t["confirm_subject"]]

    # The second finds the event full and lands on the waitlist, first in line
    waiting = sign_in(new_page(), second, live_server)
    goto(waiting, event_url)
    waiting.locator(main).get_by_role("button", name=t["register"], exact=True).click()
    expect(waiting.locator(main)).to_contain_text(t["full"])
    expect(waiting.locator(main)).to_contain_text(t["position"])
    assert [m.subject for m in mails_to(second.email)] == [t["waitlist_subject"]]

    # The first cancels: the seat goes to the second, who is told by email
    page.locator(main).get_by_role("button", name=t["cancel"]).click()
    expect(page.locator(main)).to_contain_text(t["cancelled"])
    assert mails_to(second.email)[-1].subject == t["promoted_subject"]
    goto(waiting, event_url)
    expect(waiting.locator(main)).to_contain_text(t["registered_state"])
    expect(waiting.locator(main).get_by_role("button", name=t["cancel"])).to_be_visible()
    screenshot(waiting, "event-waitlist-promotion", lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_subscribe_to_the_personal_calendar_feed(page, live_server, artifacts, workshop, lang):
    t = TEXT[lang]
    community, event = workshop
    member = _member(community, lang, "Chloé")

    # From an event page, the member follows the link to subscribe to all their events
    sign_in(page, member, live_server)
    goto(page, url("events:detail", event.slug, lang=lang))
    page.get_by_role("link", name=t["subscribe"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["feed_title"])

    # The page gives a personal address that a calendar application can poll without a session
    feed_url = page.get_by_label(t["feed_label"]).input_value()
    assert "/events/feed/" in feed_url and feed_url.endswith(".ics")
    path = feed_url.split("://", 1)[1].split("/", 1)[1]
    calendar = page.context.request.get(
        f"{live_server.url}/{path}", headers={"Cookie": ""}, fail_on_status_code=True
    )
    assert calendar.headers["content-type"].startswith("text/calendar")
    body = calendar.text().replace("\r\n ", "")
    assert "BEGIN:VCALENDAR" in body
    assert f"X-WR-CALNAME:{t['feed_name']}" in body
    assert f"SUMMARY:{t['title']}" in body
    screenshot(page, "calendar-feed", lang)
