"""Who may open, manage, see and answer consultations: a role x state table, and every object
check compared with the queryset that lists what it allows."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.access import standing_of, standing_scope
from communities.models import Community, Membership
from consultations import policies
from consultations.models import Consultation
from tests.communities.factories import CommunityFactory, make_member, person_as
from tests.consultations.factories import consultation
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "non_member",
    "observer",
    "member",
    "core_member",
    "lead",
    "lead_elsewhere",
    "portfolio_manager",
    "admin",
)


def _person(role, community):
    if role == "core_member":
        user = UserFactory(verified=True)
        Membership.objects.filter(pk=make_member(community, user).pk).update(is_core=True)
        return type(user).objects.get(pk=user.pk)
    return person_as(role, community) or AnonymousUser()


@pytest.fixture
def world():
    private = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    people = {role: _person(role, private) for role in ROLES}
    items = {
        (audience, state): consultation(private, audience=audience, state=state)
        for audience in Consultation.Audience.values
        for state in ("scheduled", "open", "closed", "published")
    }
    return private, people, items


# (role, audience, state) -> may answer; everything else may not.
ANSWERS = {
    ("member", "community", "open"),
    ("core_member", "community", "open"),
    ("lead", "community", "open"),
    ("core_member", "core", "open"),
    *((role, "vetted", "open") for role in ROLES if role != "anonymous"),
}


def test_who_answers_which_consultation(world):
    _private, people, items = world
    with standing_scope():
        for role, person in people.items():
            for (audience, state), item in items.items():
                expected = (role, audience, state) in ANSWERS
                assert policies.can_respond(person, item) is expected, (role, audience, state)


def test_a_plain_member_never_sees_a_core_group_consultation_before_its_summary(world):
    _private, people, items = world
    core_open = items[("core", "open")]

    assert policies.can_view_consultation(people["core_member"], core_open)
    assert not policies.can_view_consultation(people["member"], core_open)
    assert not policies.can_view_consultation(people["observer"], core_open)
    # Published, it is part of the community's record: every reader of the community sees it.
    assert policies.can_view_consultation(people["observer"], items[("core", "published")])
    assert not policies.can_view_consultation(people["non_member"], items[("core", "published")])


def test_managers_are_the_leads_program_staff_and_the_owner(world):
    private, people, items = world
    item = items[("community", "open")]
    managers = {role for role in ROLES if policies.can_manage_consultation(people[role], item)}

    assert managers == {"lead", "portfolio_manager", "admin"}
    owner = UserFactory(verified=True)
    item.created_by = owner
    assert policies.can_manage_consultation(owner, item)
    assert {r for r in ROLES if policies.can_open_consultation(people[r], private)} == {
        "lead",
        "portfolio_manager",
        "admin",
    }


def test_scheduled_consultations_are_seen_by_their_managers_only(world):
    _private, people, items = world
    item = items[("vetted", "scheduled")]
    seen = {role for role in ROLES if policies.can_view_consultation(people[role], item)}

    assert seen == {"lead", "portfolio_manager", "admin"}


def test_object_checks_agree_with_their_querysets(world):
    private, people, items = world
    for role, person in people.items():
        with standing_scope():
            standing = standing_of(person)
            visible = set(policies.consultations_visible_to(standing).values_list("pk", flat=True))
            to_answer = set(policies.consultations_to_answer(standing).values_list("pk", flat=True))
            managed = set(policies.consultations_managed_by(standing).values_list("pk", flat=True))
            for key, item in items.items():
                assert (item.pk in visible) is policies.can_view_consultation(standing, item), (
                    role,
                    key,
                )
                assert (item.pk in to_answer) is policies.can_respond(standing, item), (role, key)
                assert (item.pk in managed) is policies.can_manage_consultation(standing, item), (
                    role,
                    key,
                )
            openable = set(policies.communities_for_opening(standing).values_list("pk", flat=True))
            assert (private.pk in openable) is policies.can_open_consultation(standing, private)


def test_the_standing_knows_the_core_group_without_another_query(world, django_assert_num_queries):
    private, people, _items = world
    with standing_scope(), django_assert_num_queries(1):
        core = standing_of(people["core_member"]).core_of
    with standing_scope(), django_assert_num_queries(1):
        plain = standing_of(people["member"]).core_of

    assert core == {private.pk}
    assert plain == frozenset()
