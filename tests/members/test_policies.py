import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import Membership
from members import policies
from members.models import User
from tests.communities.factories import CommunityFactory, ended_membership, make_member
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVATE, COMMUNITIES, MEMBERS = (
    User.ContactVisibility.PRIVATE,
    User.ContactVisibility.COMMUNITIES,
    User.ContactVisibility.MEMBERS,
)


def _viewer(who, person, shared_community):
    if who == "anonymous":
        return AnonymousUser()
    if who == "self":
        return person
    if who == "admin":
        return UserFactory(is_staff=True, is_superuser=True)
    viewer = UserFactory()
    if who == "non_member":
        # A member of some other community: only a shared community counts.
        make_member(CommunityFactory(), viewer)
    elif who == "shared_community_member":
        make_member(shared_community, viewer)
    return viewer


@pytest.mark.parametrize(
    ("who", "visibility", "expected"),
    [
        ("anonymous", PRIVATE, False),
        ("anonymous", COMMUNITIES, False),
        ("anonymous", MEMBERS, False),
        ("non_member", PRIVATE, False),
        ("non_member", COMMUNITIES, False),
        ("non_member", MEMBERS, True),
        ("shared_community_member", PRIVATE, False),
        ("shared_community_member", COMMUNITIES, True),
        ("shared_community_member", MEMBERS, True),
        ("self", PRIVATE, True),
        ("self", COMMUNITIES, True),
        ("self", MEMBERS, True),
        ("admin", PRIVATE, True),
        ("admin", COMMUNITIES, True),
        ("admin", MEMBERS, True),
    ],
)
def test_can_see_contact_follows_the_persons_choice(who, visibility, expected):
    community = CommunityFactory()
    person = UserFactory(contact_visibility=visibility)
    make_member(community, person)
    viewer = _viewer(who, person, community)

    one_by_one = policies.can_see_contact(viewer, person)
    in_bulk = person.pk in policies.contact_visible_ids(viewer, [person])

    assert one_by_one is expected
    assert in_bulk is expected


@pytest.mark.parametrize(
    "state", [Membership.State.LEFT, Membership.State.REMOVED, Membership.State.DECLINED]
)
def test_an_ended_membership_does_not_share_contact_details(state):
    community = CommunityFactory()
    person = UserFactory(contact_visibility=COMMUNITIES)
    make_member(community, person)
    former = UserFactory()
    ended_membership(community, former, state=state)

    assert policies.can_see_contact(former, person) is False


@pytest.mark.parametrize("state", [Membership.State.INVITED, Membership.State.REQUESTED])
def test_a_pending_membership_does_not_share_contact_details(state):
    community = CommunityFactory()
    person = UserFactory(contact_visibility=COMMUNITIES)
    make_member(community, person)
    applicant = UserFactory()
    Membership.objects.create(community=community, user=applicant, state=state)

    assert policies.can_see_contact(applicant, person) is False


def test_a_deactivated_persons_contact_details_are_hidden_from_members():
    person = UserFactory(contact_visibility=MEMBERS, is_active=False)

    assert policies.can_see_contact(UserFactory(), person) is False
    assert policies.can_see_contact(UserFactory(is_staff=True, is_superuser=True), person) is True


def test_contact_sharing_for_a_whole_page_takes_two_queries(django_assert_num_queries):
    community = CommunityFactory()
    viewer = UserFactory()
    make_member(community, viewer)
    for visibility in (PRIVATE, COMMUNITIES, MEMBERS) * 10:
        make_member(community, UserFactory(contact_visibility=visibility))
    people = list(User.objects.exclude(pk=viewer.pk))

    # the viewer's communities, and those of the 30 people at once
    with django_assert_num_queries(2):
        visible = policies.contact_visible_ids(viewer, people)

    assert len(visible) == 20


@pytest.mark.parametrize(
    ("who", "listed", "active", "expected"),
    [
        ("anonymous", True, True, False),
        ("member", True, True, True),
        ("member", False, True, False),
        ("member", True, False, False),
        ("self", False, True, True),
        ("admin", False, True, True),
        ("admin", True, False, True),
    ],
)
def test_can_view_profile(who, listed, active, expected):
    person = UserFactory(listed_in_directory=listed, is_active=active)
    viewer = {
        "anonymous": AnonymousUser(),
        "member": UserFactory(),
        "self": person,
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }[who]

    assert policies.can_view_profile(viewer, person) is expected


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", False), ("self", True), ("other", False), ("admin", False)]
)
def test_members_edit_only_their_own_profile(who, expected):
    person = UserFactory()
    viewer = {
        "anonymous": AnonymousUser(),
        "self": person,
        "other": UserFactory(),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }[who]

    assert policies.can_edit_profile(viewer, person) is expected
