"""Each event's entry in the event list and the month calendar is kept on its own, under the
event's version, the language and the viewer's registration state: people whose lists differ
(members-only and host-only events) share the entries of the events they have in common."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from communities.models import Community
from events import services
from tests.communities.factories import CommunityFactory, make_member
from tests.cssp_portal.test_cache_outage import REDIS_DOWN
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ENTRY = "events/_event_item.html"


def _month(event, lang="en"):
    with translation.override(lang):
        return reverse("events:calendar") + f"?month={event.start:%Y-%m}"


def _entries_rendered(response) -> int:
    return sum(1 for template in response.templates if template.name == ENTRY)


@pytest.fixture
def world():
    cache.clear()
    public = CommunityFactory(name_en="Explosives")
    private = CommunityFactory(name_en="Radiation", visibility=Community.Visibility.MEMBERS)
    shared = [
        EventFactory(community=public, visibility="public", title_en=f"Open session {index}")
        for index in range(4)
    ]
    private_event = EventFactory(
        community=private, title_en="Closed session", start=shared[0].start
    )
    member, outsider = UserFactory(verified=True), UserFactory(verified=True)
    make_member(private, member)
    return {"shared": shared, "private": private_event, "member": member, "outsider": outsider}


def test_people_with_different_months_share_the_entries_of_their_common_events(client, world):
    client.force_login(world["outsider"])
    first = client.get(_month(world["private"]))
    client.force_login(world["member"])
    second = client.get(_month(world["private"]))

    outsiders_page, members_page = first.content.decode(), second.content.decode()
    assert "Open session 3" in outsiders_page and "Closed session" not in outsiders_page
    assert "Open session 3" in members_page and "Closed session" in members_page
    assert _entries_rendered(first) == 4
    # The member's month is another set (its kept month cannot serve), yet only the entry
    # nobody had seen is rendered: the four others come from the outsider's visit.
    assert _entries_rendered(second) == 1


def test_an_edited_event_and_a_registration_show_at_once_and_only_to_their_viewer(client, world):
    member, outsider = world["member"], world["outsider"]
    event = world["shared"][0]
    client.force_login(outsider)
    client.get(url("events:list"))

    event.title_en = "Open session, moved"
    event.save()
    services.event_register(event=event, user=member)
    client.force_login(member)
    members_list = client.get(url("events:list")).content.decode()
    client.force_login(outsider)
    outsiders_list = client.get(url("events:list")).content.decode()
    french = client.get(url("events:list", lang="fr")).content.decode()

    assert "Open session, moved" in members_list and "You are registered" in members_list
    assert "Open session, moved" in outsiders_list
    assert "You are registered" not in outsiders_list
    assert "Communauté organisatrice" in french  # the French entry, kept apart from the English


def test_entries_are_rendered_while_the_cache_is_down(client, world, settings):
    settings.CACHES = {**REDIS_DOWN, "layout": settings.CACHES["layout"]}
    client.force_login(world["member"])

    month = client.get(_month(world["private"]))
    listing = client.get(url("events:list"))

    for response in (month, listing):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Open session 3" in page and "Closed session" in page
