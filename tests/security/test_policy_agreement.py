"""Each object check agrees with the queryset that lists what it allows.

Every app's policies.py writes a rule twice: once for one object (`can_view_event`) and once as
the queryset of a listing (`events_visible_to`). A difference is a leak (a list shows what the
object's page refuses) or a hole (a page exists that no list leads to). These tests build
people in every role and objects in every state, and compare the two answers for every pair.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from communities import policies as community_policies
from communities.access import standing_of
from communities.models import Community, Membership
from communities.services import portfolio_managers_group
from events import policies as event_policies
from events.models import CoHosting, Event, Registration
from events.selectors import (
    _community_events_query,
    _home_events_query,
    community_events,
    events_of_member_communities,
    upcoming_events_for_home,
)
from knowledge import policies as knowledge_policies
from knowledge import services as knowledge_services
from knowledge.models import Resource, Thread
from members import policies as member_policies
from members.models import User
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.knowledge.factories import document, folder, thread
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "outsider",
    "observer",
    "member",
    "co_lead",
    "lead",
    "lead_elsewhere",
    "co_host_member",
    "portfolio_manager",
    "admin",
    "deactivated",
    "guest",
)


@pytest.fixture
def world():
    """Three communities (public, members-only, archived), people in every role towards the
    members-only one (and a member of the public one), and content in every state."""
    public = CommunityFactory()
    private = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    archived = CommunityFactory(status=Community.Status.ARCHIVED)
    elsewhere = CommunityFactory()
    people = {"anonymous": AnonymousUser(), "outsider": UserFactory(verified=True)}
    for role in ("observer", "member", "co_lead", "lead"):
        people[role] = UserFactory(verified=True)
        make_member(private, people[role], role)
    make_member(public, people["member"])
    # A member of the public community only, which co-hosts some of the private one's events.
    people["co_host_member"] = UserFactory(verified=True)
    make_member(public, people["co_host_member"])
    make_member(archived, people["lead"], Membership.Role.LEAD)
    people["lead_elsewhere"] = UserFactory(verified=True)
    make_member(elsewhere, people["lead_elsewhere"], Membership.Role.LEAD)
    people["portfolio_manager"] = UserFactory(verified=True)
    people["portfolio_manager"].groups.add(portfolio_managers_group())
    private.portfolio_managers.add(people["portfolio_manager"])
    people["admin"] = UserFactory(verified=True, is_staff=True, is_superuser=True)
    people["deactivated"] = UserFactory(verified=True)
    make_member(private, people["deactivated"])
    people["deactivated"].is_active = False
    people["deactivated"].save()
    # Self-registered, not vetted: public content only ("all members" events and resources
    # are not theirs), whatever the object check or the listing.
    people["guest"] = UserFactory(verified=True, vetting="guest")
    # Read back from the database: no permission cache carries over from the set-up.
    for role, person in people.items():
        if person.is_authenticated:
            people[role] = type(person).objects.get(pk=person.pk)
    return {
        "communities": [public, private, archived, elsewhere],
        "people": people,
        "public": public,
        "private": private,
    }


def _fresh(person):
    """The same person as a new object (no standing kept from an earlier check)."""
    if not person.is_authenticated:
        return AnonymousUser()
    return type(person).objects.get(pk=person.pk)


def test_communities_visible_to_agrees_with_can_view_community(world):
    for role, person in world["people"].items():
        _communities_visible_to_agrees_with_can_view_community(role, standing_of(_fresh(person)))


def _communities_visible_to_agrees_with_can_view_community(role, who):
    listed = set(community_policies.communities_visible_to(who))
    for community in Community.objects.all():
        allowed = community_policies.can_view_community(who, community)
        assert (community in listed) == allowed, (role, community.slug)


def test_managed_and_participated_lists_agree_with_their_checks(world):
    for role, person in world["people"].items():
        _managed_and_participated_lists_agree_with_their_checks(role, standing_of(_fresh(person)))


def _managed_and_participated_lists_agree_with_their_checks(role, who):
    managed = set(community_policies.communities_managed_by(who))
    participated = set(community_policies.communities_participated_by(who))
    for community in Community.objects.active():
        assert (community in managed) == community_policies.can_manage_community(who, community), (
            role,
            community.slug,
        )
        assert (community in participated) == community_policies.can_participate(who, community), (
            role,
            community.slug,
        )


@pytest.fixture
def events(world):
    """An event in every visibility and status, hosted by each community; the members-only
    community's published events are also co-hosted by the public one (accepted), and every
    one of them asks lead_elsewhere's community to co-host it (not answered: it counts
    nowhere until it accepts)."""
    elsewhere = world["communities"][3]
    made = []
    for host in (world["public"], world["private"]):
        for visibility in Event.Visibility.values:
            for status in Event.Status.values:
                event = EventFactory(community=host, visibility=visibility, status=status)
                if host == world["private"] and status == Event.Status.PUBLISHED:
                    CoHosting.objects.create(
                        event=event, community=world["public"], state=CoHosting.State.ACCEPTED
                    )
                    event.co_hosts.add(world["public"])
                if host == world["private"]:
                    CoHosting.objects.create(event=event, community=elsewhere)
                made.append(event)
    past = EventFactory(
        community=world["public"],
        start=timezone.now() - datetime.timedelta(days=30),
        end=timezone.now() - datetime.timedelta(days=29),
    )
    return [*made, past]


def test_events_visible_to_agrees_with_can_view_event(world, events):
    for role, person in world["people"].items():
        _events_visible_to_agrees_with_can_view_event(role, standing_of(_fresh(person)), events)


def _events_visible_to_agrees_with_can_view_event(role, who, events):
    listed = set(event_policies.events_visible_to(who))
    for event in events:
        allowed = event_policies.can_view_event(who, event)
        if event.status in (Event.Status.PUBLISHED, Event.Status.COMPLETED):
            assert (event in listed) == allowed, (role, event.visibility, event.status)
        else:
            # Drafts and cancelled events are listed to nobody (their managers reach drafts
            # from the community's tools).
            assert event not in listed, (role, event.visibility, event.status)


def test_events_visible_to_one_host_are_that_hosts_share_of_the_general_list(world, events):
    """The community page reads a host's events with the rule narrowed to that host: for every
    role and every community, the same events as the general list's hosted by it (co-hosted
    ones are not the host's)."""
    for role, person in world["people"].items():
        who = standing_of(_fresh(person))
        listed = set(event_policies.events_visible_to(who))
        for community in Community.objects.all():
            narrowed = set(event_policies.events_visible_to(who, host=community))
            expected = {event for event in listed if event.community_id == community.pk}
            assert narrowed == expected, (role, community.slug)


def test_a_pending_co_hosts_lead_sees_nothing_of_the_members_only_communitys_events(world, events):
    """Being asked to co-host is not co-hosting: the asked community's lead sees none of the
    members-only community's events, on its page, in lists or in calendars, until it accepts."""
    lead = standing_of(_fresh(world["people"]["lead_elsewhere"]))
    elsewhere = world["communities"][3]
    private_events = [event for event in events if event.community == world["private"]]

    assert not any(event_policies.can_view_event(lead, event) for event in private_events)
    assert not set(event_policies.events_visible_to(lead)) & set(private_events)
    assert not set(Event.objects.of_community(elsewhere)) & set(private_events)
    assert not set(events_of_member_communities(lead)) & set(private_events)


def test_home_events_compiled_once_per_shape_are_each_persons_own_visible_events(world, events):
    """The home page's events are compiled once for everyone of a shape of standing (vetted or
    not, sees every event or not: communities.access.StandingQuery), then run with each
    person's id and communities. For every role, one after the other on the same compiled
    queries: exactly their own upcoming published events (events_of_member_communities), each
    one they may open."""
    now = timezone.now()
    # Registered (before the events' visibility changed) for every published event of the
    # public community: a guest's home must still show the public ones only, a vetted
    # outsider's the public and all-members ones, not those for hosts.
    open_events = [e for e in events if e.community == world["public"] and e.end >= now]
    for role in ("guest", "outsider"):
        for event in open_events:
            Registration.objects.create(
                event=event, user=world["people"][role], state=Registration.State.CONFIRMED
            )
    for role, person in world["people"].items():
        who = _fresh(person)
        shown = upcoming_events_for_home(who, limit=50)
        if not standing_of(who).signed_in:
            continue  # the public list (tests/events/test_partials.py)
        own = list(
            events_of_member_communities(who)
            .filter(status=Event.Status.PUBLISHED, end__gte=now)
            .order_by("start", "pk")[:50]
        )
        assert shown == own, role
        assert all(event_policies.can_view_event(who, event) for event in shown), role
        if role in ("guest", "outsider"):
            published = Event.Status.PUBLISHED
            visibilities = {e.visibility for e in shown if e.status == published}
            assert visibilities == (
                {Event.Visibility.PUBLIC}
                if role == "guest"
                else {Event.Visibility.PUBLIC, Event.Visibility.MEMBERS}
            ), role
    # vetted and guest; seeing every event or not: at most four SQL texts for everyone
    assert 1 < len(_home_events_query(50)._by_shape) <= 4


def test_community_page_events_compiled_once_per_shape_are_the_hosts_share_of_the_list(
    world, events
):
    """A community page's events for a signed-in person come from SQL compiled once per shape
    of standing (communities.access.StandingQuery), for signed-out visitors from SQL compiled
    once for all of them: the general rule narrowed to the host in SQL. For every role and
    every community, one after the other on the same compiled queries: the events of the
    general list hosted or co-hosted by it, upcoming and past."""
    now = timezone.now()
    for role, person in world["people"].items():
        who = _fresh(person)
        listed = list(event_policies.events_visible_to(who))
        for community in Community.objects.all():
            upcoming, past = community_events(who, community, limit=50)
            own = [
                event
                for event in listed
                if event.community_id == community.pk
                or event.co_hosts.filter(pk=community.pk).exists()
            ]
            assert upcoming == sorted(
                (e for e in own if e.end >= now), key=lambda e: (e.start, e.pk)
            ), (role, community.slug)
            assert past == sorted(
                (e for e in own if e.end < now), key=lambda e: (e.start, e.pk), reverse=True
            ), (role, community.slug)
    assert 1 < len(_community_events_query(50, True)._by_shape) <= 4


def test_the_event_page_opens_exactly_for_those_can_view_event_allows(world, events, client):
    """The event page reads its co-hosts in the event's own row (events/views/detail.py), and
    the check reads them from there: for every role and every published event (host-only ones
    co-hosted by the public community included), the page opens exactly when the check on an
    event read the usual way allows it, and 404 otherwise."""
    published = [event for event in events if event.status == Event.Status.PUBLISHED]
    for role, person in world["people"].items():
        client.logout()
        if person.is_authenticated:
            client.force_login(person)
        for event in published:
            allowed = event_policies.can_view_event(_fresh(person), Event.objects.get(pk=event.pk))
            status = client.get(url("events:detail", event.slug)).status_code
            assert status == (200 if allowed else 404), (role, event.visibility, status)


def test_co_hostings_answerable_by_agrees_with_can_answer_co_hosting(world, events):
    for role, person in world["people"].items():
        who = standing_of(_fresh(person))
        listed = set(event_policies.co_hostings_answerable_by(who))
        for co_hosting in CoHosting.objects.select_related("community"):
            allowed = event_policies.can_answer_co_hosting(who, co_hosting)
            assert (co_hosting in listed) == allowed, (role, co_hosting.community.slug)


@pytest.fixture
def knowledge(world):
    public, private = world["public"], world["private"]
    lead = world["people"]["lead"]
    public_lead = UserFactory(verified=True)
    make_member(public, public_lead, Membership.Role.LEAD)
    public_lead = _fresh(public_lead)
    threads = [
        thread(public, public_lead, title="Public thread"),
        thread(private, _fresh(lead), title="Private thread"),
    ]
    hidden = thread(private, _fresh(lead), title="Hidden thread")
    Thread.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    shared = thread(private, _fresh(lead), title="Shared thread")
    shared.shared_with.add(public)
    resources = []
    for community, by in ((public, public_lead), (private, _fresh(lead))):
        box = folder(
            community, by, name_en=f"Box {community.pk}", name_fr=f"Dossier {community.pk}"
        )
        for visibility in Resource.Visibility.values:
            resources.append(
                document(box, by, title_en=f"{visibility} {community.pk}", visibility=visibility)
            )
    announcements = [
        knowledge_services.announcement_create(
            by=public_lead,
            communities=[public],
            title_en="Public news",
            title_fr="Nouvelle publique",
            body_en="Text",
            body_fr="Texte",
        ),
        knowledge_services.announcement_create(
            by=_fresh(lead),
            communities=[private],
            title_en="Private news",
            title_fr="Nouvelle privée",
            body_en="Text",
            body_fr="Texte",
        ),
    ]
    return {
        "threads": [*threads, hidden, shared],
        "resources": resources,
        "announcements": announcements,
    }


def test_threads_visible_to_agrees_with_can_view_thread(world, knowledge):
    for role, person in world["people"].items():
        _threads_visible_to_agrees_with_can_view_thread(
            role, standing_of(_fresh(person)), knowledge
        )


def _threads_visible_to_agrees_with_can_view_thread(role, who, knowledge):
    listed = set(knowledge_policies.threads_visible_to(who))
    for item in Thread.objects.filter(pk__in=[t.pk for t in knowledge["threads"]]):
        allowed = knowledge_policies.can_view_thread(who, item)
        if item.is_hidden:
            assert item not in listed, (role, item.title)
        else:
            assert (item in listed) == allowed, (role, item.title)


def test_resources_visible_to_agrees_with_can_view_resource(world, knowledge):
    for role, person in world["people"].items():
        _resources_visible_to_agrees_with_can_view_resource(
            role, standing_of(_fresh(person)), knowledge
        )


def _resources_visible_to_agrees_with_can_view_resource(role, who, knowledge):
    listed = set(knowledge_policies.resources_visible_to(who))
    for resource in knowledge["resources"]:
        allowed = knowledge_policies.can_view_resource(who, resource)
        assert (resource in listed) == allowed, (role, resource.title_en)


def test_announcements_visible_to_agrees_with_can_view_announcement(world, knowledge):
    for role, person in world["people"].items():
        _announcements_visible_to_agrees_with_can_view_announcement(
            role, standing_of(_fresh(person)), knowledge
        )


def _announcements_visible_to_agrees_with_can_view_announcement(role, who, knowledge):
    listed = set(knowledge_policies.announcements_visible_to(who))
    for announcement in knowledge["announcements"]:
        allowed = knowledge_policies.can_view_announcement(who, announcement)
        assert (announcement in listed) == allowed, (role, announcement.title_en)


def test_reader_communities_agree_with_is_community_reader(world):
    for role, person in world["people"].items():
        _reader_communities_agree_with_is_community_reader(role, standing_of(_fresh(person)))


def _reader_communities_agree_with_is_community_reader(role, who):
    listed = set(knowledge_policies.reader_communities(who))
    for community in Community.objects.all():
        allowed = knowledge_policies.is_community_reader(who, community)
        assert (community in listed) == allowed, (role, community.slug)


def test_profiles_visible_to_agrees_with_can_view_profile(world):
    UserFactory(listed_in_directory=False)
    UserFactory(listed_in_directory=True, is_active=False)
    for role, person in world["people"].items():
        _profiles_visible_to_agrees_with_can_view_profile(role, standing_of(_fresh(person)))


def _profiles_visible_to_agrees_with_can_view_profile(role, who):
    listed = set(member_policies.profiles_visible_to(who))
    for profile in User.objects.all():
        allowed = member_policies.can_view_profile(who, profile)
        assert (profile in listed) == allowed, (role, profile.email)


def test_every_role_has_a_distinct_standing(world):
    """The world really holds the roles it claims (else the tables above prove little)."""
    people, private = world["people"], world["private"]
    assert standing_of(people["lead"]).roles[private.pk] == Membership.Role.LEAD
    assert standing_of(people["observer"]).roles[private.pk] == Membership.Role.OBSERVER
    assert standing_of(people["portfolio_manager"]).is_portfolio_manager
    assert private.pk in standing_of(people["portfolio_manager"]).portfolio_ids
    assert standing_of(people["admin"]).is_admin
    assert not standing_of(people["deactivated"]).signed_in
    assert not standing_of(people["outsider"]).member_of
