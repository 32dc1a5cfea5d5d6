"""Who may do what with an event: role x action tables."""

import pytest

from communities.models import Community, Membership
from events import policies
from events.models import Event
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "observer",
    "member",
    "co_host_member",
    "co_lead",
    "lead",
    "admin",
]


def _user(role, host, co_host):
    from django.contrib.auth.models import AnonymousUser

    if role == "anonymous":
        return AnonymousUser()
    if role == "admin":
        return UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory()
    if role == "co_host_member":
        make_member(co_host, user)
    elif role != "outsider":
        make_member(host, user, role=role)
    return user


def _check(visibility, status, community_visibility, role):
    host = CommunityFactory(visibility=community_visibility)
    co_host = CommunityFactory()
    event = EventFactory(community=host, visibility=visibility, status=status)
    event.co_hosts.add(co_host)
    user = _user(role, host, co_host)
    return (
        policies.can_view_event(user, event),
        policies.can_register(user, event),
        policies.can_manage_event(user, event),
    )


# (view, register, manage) per role
MEMBERS_EVENT = {
    "anonymous": (False, False, False),
    "outsider": (True, True, False),
    "observer": (True, True, False),
    "member": (True, True, False),
    "co_host_member": (True, True, False),
    "co_lead": (True, True, True),
    "lead": (True, True, True),
    "admin": (True, True, True),
}
HOSTS_EVENT = {
    "anonymous": (False, False, False),
    "outsider": (False, False, False),
    "observer": (True, False, False),
    "member": (True, True, False),
    "co_host_member": (True, True, False),
    "co_lead": (True, True, True),
    "lead": (True, True, True),
    "admin": (True, True, True),
}
DRAFT = {
    "anonymous": (False, False, False),
    "outsider": (False, False, False),
    "observer": (False, False, False),
    "member": (False, False, False),
    "co_host_member": (False, False, False),
    "co_lead": (True, False, True),
    "lead": (True, False, True),
    "admin": (True, False, True),
}
PUBLIC_EVENT_OF_PRIVATE_COMMUNITY = {
    "anonymous": (False, False, False),
    "outsider": (False, False, False),
    "observer": (True, True, False),
    "member": (True, True, False),
    "co_host_member": (False, False, False),
    "co_lead": (True, True, True),
    "lead": (True, True, True),
    "admin": (True, True, True),
}


@pytest.mark.parametrize(("role", "expected"), MEMBERS_EVENT.items())
def test_an_event_for_all_members(role, expected):
    assert (
        _check(Event.Visibility.MEMBERS, Event.Status.PUBLISHED, Community.Visibility.PUBLIC, role)
        == expected
    )


@pytest.mark.parametrize(("role", "expected"), HOSTS_EVENT.items())
def test_an_event_for_the_host_communities(role, expected):
    assert (
        _check(Event.Visibility.HOSTS, Event.Status.PUBLISHED, Community.Visibility.PUBLIC, role)
        == expected
    )


@pytest.mark.parametrize(("role", "expected"), DRAFT.items())
def test_a_draft(role, expected):
    assert (
        _check(Event.Visibility.PUBLIC, Event.Status.DRAFT, Community.Visibility.PUBLIC, role)
        == expected
    )


@pytest.mark.parametrize(("role", "expected"), PUBLIC_EVENT_OF_PRIVATE_COMMUNITY.items())
def test_a_public_event_of_a_members_only_community(role, expected):
    assert (
        _check(Event.Visibility.PUBLIC, Event.Status.PUBLISHED, Community.Visibility.MEMBERS, role)
        == expected
    )


def test_a_public_event_of_a_public_community_is_visible_to_anyone_but_needs_an_account():
    from django.contrib.auth.models import AnonymousUser

    event = EventFactory(visibility=Event.Visibility.PUBLIC)

    assert policies.can_view_event(AnonymousUser(), event)
    assert not policies.can_register(AnonymousUser(), event)


@pytest.mark.parametrize("role", ROLES)
def test_the_selector_agrees_with_the_policy(role):
    from events.selectors import events_visible_to

    host = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    co_host = CommunityFactory()
    events = []
    for visibility in Event.Visibility.values:
        event = EventFactory(community=host, visibility=visibility)
        event.co_hosts.add(co_host)
        events.append(event)
    user = _user(role, host, co_host)

    listed = set(events_visible_to(user).values_list("pk", flat=True))

    assert listed == {e.pk for e in events if policies.can_view_event(user, e)}


def test_only_a_confirmed_registrant_or_a_manager_sees_the_virtual_link():
    from events.models import Registration

    event = EventFactory(format=Event.Format.VIRTUAL, virtual_link="https://x.example.ca/")
    lead = UserFactory()
    make_member(event.community, lead, role=Membership.Role.LEAD)
    confirmed = Registration(event=event, state=Registration.State.CONFIRMED)
    waiting = Registration(event=event, state=Registration.State.WAITLISTED)

    assert policies.can_see_virtual_link(lead, event)
    assert policies.can_see_virtual_link(UserFactory(), event, confirmed)
    assert not policies.can_see_virtual_link(UserFactory(), event, waiting)
    assert not policies.can_see_virtual_link(UserFactory(), event)
