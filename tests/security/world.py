"""One private community with someone in every role and one object of every kind, for the
security tests: the roles are named relative to it (tests/communities/factories.person_as)."""

from __future__ import annotations

from types import SimpleNamespace

from communities import services
from communities.models import Community, CommunityOrganization, Invitation, Membership
from tests.communities.factories import (
    CommunityFactory,
    OrganizationFactory,
    make_member,
    person_as,
)
from tests.members.factories import UserFactory
from tests.security.roles import ROLES


def build_world() -> SimpleNamespace:
    private = CommunityFactory(
        name_en="Private CoP",
        name_fr="CdP privée",
        visibility=Community.Visibility.MEMBERS,
        join_policy=Community.JoinPolicy.REQUEST,
    )
    people = {role: person_as(role, private) for role in ROLES}
    lead = people["lead"]
    author = UserFactory(verified=True, first_name="Ada", last_name="Author")
    make_member(private, author)
    # a pending request and a pending invitation, as a lead would see them on the roster
    requester = UserFactory(verified=True, listed_in_directory=False)
    private.visibility = Community.Visibility.PUBLIC
    request = services.membership_join(community=private, user=requester)
    private.visibility = Community.Visibility.MEMBERS
    private.save()
    services.invitations_send(community=private, by=lead, emails=["guest@example.ca"])
    organization_link = CommunityOrganization.objects.create(
        community=private,
        organization=OrganizationFactory(),
        role=CommunityOrganization.Role.MEMBER,
    )
    world = SimpleNamespace(
        private=private,
        people=people,
        author=author,
        author_membership=Membership.objects.get(community=private, user=author),
        request=request,
        unlisted=requester,
        invitation=Invitation.objects.get(community=private),
        organization_link=organization_link,
    )
    for extend in _extensions():
        extend(world)
    return world


def _extensions():
    """Each feature app adds its private objects to the world, beside its own tests."""
    from tests.api.security import extend_world as api_world
    from tests.consultations.security import extend_world as consultations_world
    from tests.events.security import extend_world as events_world
    from tests.knowledge.security import extend_world as knowledge_world
    from tests.notifications.security import extend_world as notifications_world
    from tests.proposals.security import extend_world as program_world

    return [
        events_world,
        program_world,
        knowledge_world,
        notifications_world,
        consultations_world,
        api_world,
    ]
