"""The partials the community page and the home page include."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from communities.access import standing_of, standing_scope
from communities.models import Community
from events import services
from events.models import Event, EventOutcome
from events.selectors import (
    community_events,
    events_of_member_communities,
    upcoming_events_for_home,
)
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_community_partial_links_events_and_offers_new_event_to_managers():
    community = CommunityFactory()
    event = EventFactory(community=community)
    co_hosted = EventFactory()
    co_hosted.co_hosts.add(community)
    events, _past = community_events(UserFactory(), community)

    html = render_to_string(
        "events/_community_events.html",
        {"community": community, "events": events, "can_create": True},
    )

    assert f'href="{event.get_absolute_url()}"' in html
    assert f'href="{co_hosted.get_absolute_url()}"' in html
    assert f"/events/new/{community.slug}/" in html
    past = EventFactory(
        community=community,
        start=timezone.now() - datetime.timedelta(days=5),
        end=timezone.now() - datetime.timedelta(days=5) + datetime.timedelta(hours=2),
    )
    EventOutcome.objects.create(
        event=past, summary_en="s", summary_fr="s", published_at=timezone.now()
    )
    with translation.override("fr"):
        html = render_to_string(
            "events/_community_events.html",
            {
                "community": community,
                "events": events,
                "past_events": community_events(UserFactory(), community)[1],
                "can_create": False,
            },
        )
    assert f'href="/fr/events/{past.slug}/"' in html
    assert "Résultats publiés" in html
    no_button = render_to_string(
        "events/_community_events.html",
        {"community": community, "events": events, "can_create": False},
    )
    assert "/events/new/" not in no_button


def test_home_partial_lists_my_communities_events_with_my_status_in_french(
    django_assert_max_num_queries,
):
    mine = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    member = UserFactory()
    make_member(mine, member)
    registered = EventFactory(community=mine, title_fr="Réunion trimestrielle")
    EventFactory(community=mine, status=Event.Status.DRAFT, title_fr="Brouillon")
    EventFactory(
        community=mine,
        start=timezone.now() - datetime.timedelta(days=3),
        end=timezone.now() - datetime.timedelta(days=3) + datetime.timedelta(hours=1),
        title_fr="Passé",
    )
    EventFactory(title_fr="Ailleurs")  # another community's event
    services.event_register(event=registered, user=member)

    # In a request the standing is read once for the whole page (communities/access.py); here
    # it is read first, then the home's events cost their own queries only.
    with standing_scope():
        standing_of(member)
        with django_assert_max_num_queries(1):
            events = upcoming_events_for_home(member)
            with translation.override("fr"):
                html = render_to_string(
                    "events/_home_events.html", {"events": events, "user": member}
                )

    assert "Réunion trimestrielle" in html
    assert "Inscription confirmée" in html
    assert "Événements à venir de mes communautés" in html
    for absent in ("Brouillon", "Passé", "Ailleurs"):
        assert absent not in html


def test_home_partial_for_visitors_lists_public_events_only():
    public = EventFactory(visibility=Event.Visibility.PUBLIC, title_en="Open webinar")
    EventFactory(visibility=Event.Visibility.MEMBERS, title_en="Members meeting")
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    html = render_to_string(
        "events/_home_events.html",
        {"events": upcoming_events_for_home(visitor), "user": visitor},
    )

    assert public.title_en in html
    assert "Members meeting" not in html


def test_community_events_lists_hosted_and_co_hosted_ones_as_each_viewer_may_see_them():
    community = CommunityFactory()
    now = timezone.now()

    def event(days, **fields):
        start = now + datetime.timedelta(days=days)
        return EventFactory(start=start, end=start + datetime.timedelta(hours=2), **fields)

    hosted = [event(days, community=community) for days in (3, 1, 2, -2, -1)]
    hosts_only = event(4, community=community, visibility=Event.Visibility.HOSTS)
    co_hosted_next, co_hosted_past = event(5), event(-3)
    for co_hosted in (co_hosted_next, co_hosted_past):
        co_hosted.co_hosts.add(community)
    elsewhere = event(1)  # another community's, not co-hosted

    outsider, member = UserFactory(), UserFactory()
    make_member(community, member)
    with standing_scope():
        upcoming, past = community_events(outsider, community, limit=4)
        assert upcoming == [hosted[1], hosted[2], hosted[0], co_hosted_next]
        assert past == [hosted[4], hosted[3], co_hosted_past]
        upcoming, _past = community_events(member, community, limit=10)
        assert hosts_only in upcoming and elsewhere not in upcoming
        # Four lists of at most `limit` each, cut to `limit` after the merge.
        upcoming, past = community_events(member, community, limit=2)
        assert upcoming == [hosted[1], hosted[2]] and past == [hosted[4], hosted[3]]


def test_home_events_are_the_next_of_the_members_own_events_read_from_three_lists():
    # given a member of one community, with events hosted by it, co-hosted by it, registered
    # for elsewhere (one they may see, one for another community's hosts only), and one event
    # both hosted and registered for
    community, elsewhere = CommunityFactory(), CommunityFactory()
    member = UserFactory()
    make_member(community, member)
    now = timezone.now()

    def event(hours, **fields):
        start = now + datetime.timedelta(hours=hours)
        return EventFactory(start=start, end=start + datetime.timedelta(hours=1), **fields)

    hosted = [event(hours, community=community) for hours in (30, 10, 50, 70, 90, 110)]
    co_hosted = event(20, community=elsewhere)
    co_hosted.co_hosts.add(community)
    registered = event(40, community=elsewhere)
    hidden = event(5, community=elsewhere)
    for mine in (registered, hidden, hosted[1]):
        services.event_register(event=mine, user=member)
    # (made for its hosts only after the member registered)
    Event.objects.filter(pk=hidden.pk).update(visibility=Event.Visibility.HOSTS)
    event(1, community=elsewhere)  # neither hosted, co-hosted nor registered
    event(2, community=community, status=Event.Status.CANCELLED)

    with standing_scope():
        shown = upcoming_events_for_home(member)
        # then they are the first five of the member's own published upcoming events in start
        # order, each once, as events_of_member_communities defines them
        assert shown == [hosted[1], co_hosted, hosted[0], registered, hosted[2]]
        assert shown == list(
            events_of_member_communities(member)
            .filter(status=Event.Status.PUBLISHED, end__gte=now)
            .order_by("start", "pk")[:5]
        )
        # with the member's registration state where they registered
        assert [event.my_state for event in shown] == ["confirmed", "", "", "confirmed", ""]
        assert hidden not in upcoming_events_for_home(member, limit=20)
