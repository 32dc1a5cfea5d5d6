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

ROLES = [
    "anonymous",
    "non_member",
    "lead_elsewhere",
    "observer",
    "member",
    "co_lead",
    "lead",
    "portfolio_manager",
    "admin",
]


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
    for extend in EXTENSIONS:
        extend(world)
    return world


# Other apps add their private objects to the world (events, program, knowledge).
EXTENSIONS = []
