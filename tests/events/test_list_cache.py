"""The event list's entries are kept as a fragment keyed by the events' own versions, their
hosts' and the viewer's registrations: any of them changing shows at once."""

import pytest
from django.urls import reverse
from django.utils import translation

from communities.models import Community
from events import services
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def url():
    with translation.override("en"):
        return reverse("events:list")


def test_a_registration_an_edit_and_a_renamed_host_show_at_once(client):
    host = CommunityFactory(name_en="Explosives", join_policy=Community.JoinPolicy.OPEN)
    event = EventFactory(community=host, title_en="Blast workshop", visibility="public")
    member = UserFactory(verified=True)
    make_member(host, member)
    client.force_login(member)
    assert "You are registered" not in client.get(url()).content.decode()

    services.event_register(event=event, user=member)
    registered = client.get(url()).content.decode()
    event.title_en = "Blast and debris workshop"
    event.save()
    edited = client.get(url()).content.decode()
    host.name_en = "Explosives and blast"
    host.save()
    renamed = client.get(url()).content.decode()

    assert "You are registered" in registered
    assert "Blast and debris workshop" in edited
    assert "Hosted by Explosives and blast" in renamed


def test_another_person_does_not_see_my_registration(client):
    event = EventFactory(visibility="public", community=CommunityFactory())
    me, other = UserFactory(verified=True), UserFactory(verified=True)
    make_member(event.community, me)
    services.event_register(event=event, user=me)
    client.force_login(me)
    client.get(url())

    client.force_login(other)
    page = client.get(url()).content.decode()

    assert event.title_en in page
    assert "You are registered" not in page
