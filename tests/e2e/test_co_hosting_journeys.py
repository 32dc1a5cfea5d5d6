"""Co-hosting journey in the browser, in English and in French (issue #16, F3): a lead names a
members-only community as co-host of a host-only event; the event stays out of that community
until its lead, told by e-mail in their language, accepts; then its members see the event and
may register."""

import pytest
from playwright.sync_api import expect

from communities.models import Community, Membership
from events.models import CoHosting, Event
from tests.communities.factories import CommunityFactory, make_member
from tests.e2e.conftest import (
    LANGUAGES,
    goto,
    in_language,
    link_in_mail,
    mails_to,
    screenshot,
    sign_in,
)
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import UserFactory

TEXT = {
    "en": {"host": "Chemical", "guest": "Paramedic Services", "title": "Joint triage drill"},
    "fr": {"host": "Chimique", "guest": "Services paramédicaux", "title": "Exercice de triage"},
}
SUBJECT = {
    "en": "Co-host Joint triage drill?",
    "fr": "Coorganiser «\xa0Exercice de triage\xa0»?",
}


@pytest.fixture
def cast():
    """A public host community and a members-only one; the host's lead belongs to both (so
    they may name it), the members-only community has its own lead and a member."""
    host = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    guest = CommunityFactory(
        name_en="Paramedic Services",
        name_fr="Services paramédicaux",
        visibility=Community.Visibility.MEMBERS,
    )
    event = EventFactory(
        community=host,
        title_en=TEXT["en"]["title"],
        title_fr=TEXT["fr"]["title"],
        slug="joint-triage-drill",
        visibility=Event.Visibility.HOSTS,
    )
    return host, guest, event


def _person(lang, first_name, *memberships):
    user = UserFactory(verified=True, preferred_language=lang, first_name=first_name)
    for community, role in memberships:
        make_member(community, user, role)
    return user


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_co_host_request_is_accepted_by_the_co_hosts_lead(
    page, new_page, live_server, artifacts, cast, lang
):
    t = TEXT[lang]
    host, guest, event = cast
    host_lead = _person(
        lang, "Hélène", (host, Membership.Role.LEAD), (guest, Membership.Role.MEMBER)
    )
    guest_lead = _person(lang, "Gabriel", (guest, Membership.Role.LEAD))
    guest_member = _person(lang, "Maya", (guest, Membership.Role.MEMBER))
    event_url = url("events:detail", event.slug, lang=lang)
    main = "#main-content"

    # The host's lead names the members-only community as co-host on the event form
    sign_in(page, host_lead, live_server)
    goto(page, url("events:edit", event.slug, lang=lang))
    page.get_by_label(t["guest"]).check()
    page.locator(main).get_by_role("button", name=in_language(lang, "Save the changes")).click()
    expect(page.locator(main)).to_contain_text(in_language(lang, "The event was updated."))
    expect(page.locator(main)).to_contain_text(in_language(lang, "Awaiting an answer"))

    # Asked is not accepted: the co-host's members do not see the host-only event yet
    member_page = sign_in(new_page(), guest_member, live_server)
    assert goto(member_page, event_url).status == 404

    # The co-host's lead is told by e-mail in their language and follows its link
    [message] = mails_to(guest_lead.email)
    assert message.subject == SUBJECT[lang]
    answering = sign_in(new_page(), guest_lead, live_server)
    goto(answering, link_in_mail(message, "/co-hosting/", live_server))
    expect(answering.get_by_role("heading", level=1)).to_contain_text(t["title"])
    answering.locator(main).get_by_role("button", name=in_language(lang, "Accept")).click()
    expect(answering.locator(main)).to_contain_text(
        in_language(lang, "Your community now co-hosts this event.")
    )
    expect(answering.locator(main)).to_contain_text(in_language(lang, "Withdraw from co-hosting"))
    screenshot(answering, "co-hosting-accepted", lang)
    assert CoHosting.objects.get(event=event).state == CoHosting.State.ACCEPTED

    # Now the co-host's members see the event, hosted by both communities, and may register
    assert goto(member_page, event_url).status == 200
    expect(member_page.get_by_role("heading", level=1)).to_have_text(t["title"])
    expect(member_page.locator(main)).to_contain_text(t["guest"])
    expect(
        member_page.locator(main).get_by_role(
            "button", name=in_language(lang, "Register"), exact=True
        )
    ).to_be_visible()
