"""The home page keeps its news and events lists rendered under a digest of what they show:
every change to a shown value, and each member's own registration state, shows at once."""

import pytest
from django.core.cache import cache

from events.models import Event, Registration
from knowledge.models import Announcement
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.knowledge.factories import AnnouncementFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    cache.clear()
    return CommunityFactory(name_en="Chemical", name_fr="Chimique")


def home(client, user, lang="en"):
    client.force_login(user)
    return client.get(f"/{lang}/").content.decode()


def test_the_kept_lists_show_each_change_and_each_member_s_own_state(client, community):
    event = EventFactory(community=community, title_en="Tabletop exercise", title_fr="Exercice")
    news = AnnouncementFactory(communities=[community], title_en="Funding call open")
    first, second = UserFactory(verified=True), UserFactory(verified=True)
    make_member(community, first)
    make_member(community, second)
    # given both members saw the page (the lists are kept)
    page = home(client, first)
    assert "Tabletop exercise" in page and "Funding call open" in page
    assert "You are registered" not in page
    # when one registers, then only that one's page says so
    Registration.objects.create(
        event=event,
        user=second,
        state=Registration.State.CONFIRMED,
        mode=event.registration_modes[0],
    )
    assert "You are registered" in home(client, second)
    assert "You are registered" not in home(client, first)
    # when the event and the news are renamed, then the next visit shows the new names
    Event.objects.filter(pk=event.pk).update(title_en="Full-scale exercise")
    Announcement.objects.filter(pk=news.pk).update(title_en="Funding call closed")
    page = home(client, first)
    assert "Full-scale exercise" in page and "Tabletop exercise" not in page
    assert "Funding call closed" in page and "Funding call open" not in page
    # and each language has its own
    page = home(client, first, "fr")
    assert "Exercice" in page and "Chimique" in page


def test_signed_out_visitors_do_not_get_a_member_s_list(client, community):
    EventFactory(
        community=community, title_en="Public symposium", visibility=Event.Visibility.PUBLIC
    )
    member = UserFactory(verified=True)
    make_member(community, member)
    assert "Upcoming events of my communities" in home(client, member)
    client.logout()
    page = client.get("/en/").content.decode()
    assert "Public symposium" in page
    assert "Upcoming events of my communities" not in page
    assert "Subscribe in my calendar" not in page
