import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.models import Community, Invitation, Membership
from tests.communities.factories import CommunityFactory, ended_membership, make_member
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_has_one_current_membership_per_community():
    community, user = CommunityFactory(), UserFactory()
    make_member(community, user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(community=community, user=user, state=Membership.State.REQUESTED)


def test_ended_memberships_are_kept_so_a_person_can_join_again():
    community, user = CommunityFactory(), UserFactory()
    ended_membership(community, user, Membership.State.LEFT)
    ended_membership(community, user, Membership.State.REMOVED)

    make_member(community, user)

    states = sorted(
        Membership.objects.filter(community=community, user=user).values_list("state", flat=True)
    )
    assert states == ["active", "left", "removed"]


def test_an_active_membership_needs_a_join_date():
    community, user = CommunityFactory(), UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(community=community, user=user, state=Membership.State.ACTIVE)


def test_an_ended_membership_needs_an_end_date():
    community, user = CommunityFactory(), UserFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(community=community, user=user, state=Membership.State.LEFT)


def test_one_pending_invitation_per_address_and_community():
    community = CommunityFactory()
    Invitation.objects.create(community=community, email="a@example.ca")

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(community=community, email="a@example.ca")


def test_an_expired_invitation_cannot_be_used():
    invitation = Invitation.objects.create(
        community=CommunityFactory(),
        email="a@example.ca",
        expires_at=timezone.now() - timezone.timedelta(minutes=1),
    )

    assert not invitation.is_usable


def test_a_working_group_cannot_have_its_own_working_group():
    community = CommunityFactory()
    group = CommunityFactory(parent=community)
    nested = Community(
        name_en="x", name_fr="x", slug="nested", summary_en="s", summary_fr="s", parent=group
    )

    with pytest.raises(ValidationError) as error:
        nested.full_clean()

    assert "parent" in error.value.message_dict


def test_community_names_are_required_in_french_too():
    community = Community(name_en="Chemical", slug="chem", summary_en="About chemicals")

    with pytest.raises(ValidationError) as error:
        community.full_clean()

    assert {"name_fr", "summary_fr"} <= set(error.value.message_dict)
