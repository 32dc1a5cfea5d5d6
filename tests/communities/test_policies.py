import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from communities import policies
from communities.models import Community, Membership
from communities.selectors import community_choices
from communities.services import (
    membership_add_active,
    membership_sync_access,
)
from tests.communities.factories import CommunityFactory, make_member, person_as
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "non_member",
    "observer",
    "member",
    "co_lead",
    "lead",
    "lead_elsewhere",
    "portfolio_manager",
    "admin",
]
ACTIONS = {
    "view": policies.can_view_community,
    "participate": policies.can_participate,
    "manage": policies.can_manage_community,
    "edit_page": policies.can_edit_community_page,
}
# What each role may do on a MEMBERS-ONLY community.
ALLOWED = {
    "anonymous": set(),
    "non_member": set(),
    "observer": {"view"},
    "member": {"view", "participate"},
    "co_lead": {"view", "participate", "manage", "edit_page"},
    "lead": {"view", "participate", "manage", "edit_page"},
    "lead_elsewhere": set(),
    "portfolio_manager": {"view"},
    "admin": {"view", "participate", "manage", "edit_page"},
}


def _person(role, community):
    return person_as(role, community) or AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_members_only_community_permissions(role, action):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    person = _person(role, community)

    allowed = ACTIONS[action](person, community)

    assert allowed == (action in ALLOWED[role])


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_edit_an_archived_communitys_page(role):
    community = CommunityFactory(status=Community.Status.ARCHIVED)
    person = _person(role, community)

    assert policies.can_edit_community_page(person, community) == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_view_a_public_community(role):
    community = CommunityFactory(visibility=Community.Visibility.PUBLIC)

    assert policies.can_view_community(_person(role, community), community)


def test_leaving_a_community_revokes_its_permissions():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    user = UserFactory()
    membership = make_member(community, user, Membership.Role.LEAD)

    membership.state = Membership.State.LEFT
    membership.ended_at = membership.joined_at
    membership.save()
    membership_sync_access(membership=membership)

    fresh = type(user).objects.get(pk=user.pk)
    assert not policies.can_view_community(fresh, community)
    assert not policies.can_manage_community(fresh, community)


def test_changing_role_moves_the_person_to_the_new_role_group():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    user = UserFactory()
    make_member(community, user, Membership.Role.MEMBER)

    membership_add_active(community=community, user=user, role=Membership.Role.OBSERVER)

    fresh = type(user).objects.get(pk=user.pk)
    assert policies.can_view_community(fresh, community)
    assert not policies.can_participate(fresh, community)
    assert fresh.groups.filter(community_role__community=community).count() == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("role", [*ROLES, "guest"])
def test_a_filters_community_options_are_the_communities_the_person_may_see(role, lang):
    # given a public and a members-only community, and an archived one of each
    members_only = CommunityFactory(
        name_en="Vault", name_fr="Voûte", visibility=Community.Visibility.MEMBERS
    )
    public = CommunityFactory(name_en="Harbour", name_fr="Port")
    for visibility in Community.Visibility.values:
        CommunityFactory(status=Community.Status.ARCHIVED, visibility=visibility)
    person = _person(role, members_only)
    # when a filter form offers the communities to choose from, in the person's language
    with translation.override(lang):
        choices = community_choices(person)
        options = list(choices["community_options"])
    # then its options are exactly those the object check lets the person see, by name in
    # that language, and its queryset (which cleans a choice) holds the same ones
    seen = {c.pk for c in Community.objects.all() if policies.can_view_community(person, c)}
    assert {pk for pk, _name in options} == seen
    assert set(choices["communities"].values_list("pk", flat=True)) == seen
    names = dict(options)
    assert names[public.pk] == ("Port" if lang == "fr" else "Harbour")
    assert (members_only.pk in names) is ("view" in ALLOWED.get(role, set()))
