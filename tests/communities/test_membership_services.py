import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities import kinds as community_kinds
from communities import policies, services
from communities.models import Community, Invitation, Membership
from notifications.models import Frequency, Notification, NotificationPreference
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community_with_lead():
    community = CommunityFactory(
        name_en="Chemical", name_fr="Chimique", join_policy=Community.JoinPolicy.REQUEST
    )
    lead = UserFactory(preferred_language="fr", first_name="Luce", last_name="Ouellet")
    make_member(community, lead, role=Membership.Role.LEAD)
    return community, lead


def test_joining_an_open_community_is_immediate_and_grants_participation():
    community = CommunityFactory(join_policy=Community.JoinPolicy.OPEN)
    user = UserFactory()
    membership = services.membership_join(community=community, user=user)
    assert membership.state == Membership.State.ACTIVE
    assert policies.can_participate(user, community)


def test_asking_to_join_tells_the_leads_in_their_language(
    community_with_lead, django_capture_on_commit_callbacks
):
    community, lead = community_with_lead
    user = UserFactory(first_name="Sam", last_name="Singh")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_join(
            community=community, user=user, message="Chimiste au CNRC."
        )
    assert membership.state == Membership.State.REQUESTED
    assert not policies.can_participate(user, community)
    [message] = mail.outbox
    assert message.to == [lead.email]
    assert message.subject == (
        "Sam Singh demande à se joindre à la communauté «\u00a0Chimique\u00a0»"
    )
    assert "Chimiste au CNRC." in message.body


def test_asking_twice_is_refused_with_a_clear_message(community_with_lead):
    community, _lead = community_with_lead
    user = UserFactory()
    services.membership_join(community=community, user=user)
    with pytest.raises(ValidationError, match="already asked"):
        services.membership_join(community=community, user=user)


def test_invitation_only_communities_cannot_be_joined_directly():
    community = CommunityFactory(join_policy=Community.JoinPolicy.INVITATION)
    with pytest.raises(PermissionDenied):
        services.membership_join(community=community, user=UserFactory())


def test_a_lead_approves_a_request_and_the_member_is_told(
    community_with_lead, django_capture_on_commit_callbacks
):
    community, lead = community_with_lead
    user = UserFactory(preferred_language="en")
    request = services.membership_join(community=community, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_decide(
            membership=request, by=lead, approve=True, note="Welcome aboard."
        )
    assert membership.state == Membership.State.ACTIVE
    assert policies.can_participate(user, community)
    to_member = [m for m in mail.outbox if m.to == [user.email]]
    assert [m.subject for m in to_member] == ["Welcome to Chemical"]
    assert "Welcome aboard." in to_member[0].body


def test_a_declined_request_keeps_no_access_and_tells_why(
    community_with_lead, django_capture_on_commit_callbacks
):
    community, lead = community_with_lead
    user = UserFactory(preferred_language="fr")
    request = services.membership_join(community=community, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(
            membership=request, by=lead, approve=False, note="Réservé aux ministères."
        )
    request.refresh_from_db()
    assert request.state == Membership.State.DECLINED
    assert not policies.can_participate(user, community)
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    assert message.subject == "Votre demande d’adhésion à la communauté «\u00a0Chimique\u00a0»"
    assert "Réservé aux ministères." in message.body


def test_a_lead_of_another_community_cannot_decide(community_with_lead):
    community, _lead = community_with_lead
    other_lead = UserFactory()
    make_member(CommunityFactory(), other_lead, role=Membership.Role.LEAD)
    request = services.membership_join(community=community, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.membership_decide(membership=request, by=other_lead, approve=True)


def test_leaving_removes_access_but_the_last_lead_must_stay(community_with_lead):
    community, lead = community_with_lead
    member = UserFactory()
    membership = make_member(community, member)
    services.membership_leave(membership=membership, user=member)
    assert not policies.can_participate(member, community)
    with pytest.raises(ValidationError, match="only lead"):
        services.membership_leave(
            membership=Membership.objects.get(user=lead, community=community), user=lead
        )


def test_a_lead_changes_roles_and_removes_members(community_with_lead):
    community, lead = community_with_lead
    community.visibility = Community.Visibility.MEMBERS
    community.save()
    member = UserFactory()
    membership = make_member(community, member)
    services.membership_change_role(membership=membership, by=lead, role=Membership.Role.CO_LEAD)
    assert policies.can_manage_community(member, community)
    services.membership_change_role(membership=membership, by=lead, role=Membership.Role.OBSERVER)
    assert not policies.can_participate(member, community)
    assert policies.can_view_community(member, community)
    services.membership_remove(membership=membership, by=lead, note="Left the department.")
    assert not policies.can_view_community(member, community)
    membership.refresh_from_db()
    assert membership.state == Membership.State.REMOVED


def test_invitations_mix_new_and_existing_people_and_skip_members(
    community_with_lead, django_capture_on_commit_callbacks
):
    community, lead = community_with_lead
    existing = UserFactory(email="Known.Person@example.gc.ca", preferred_language="fr")
    member = UserFactory()
    make_member(community, member)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_send(
            community=community,
            by=lead,
            emails=["new.person@example.ca", "known.person@example.gc.ca", member.email, ""],
            message="Votre expertise nous serait précieuse.",
            language="en",
        )
    assert result == {
        "invited": ["new.person@example.ca", "known.person@example.gc.ca"],
        "renewed": [],
        "members": [member.email.lower()],
    }
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["new.person@example.ca"] == (
        "Invitation to join the Chemical community of practice"
    )
    assert subjects["known.person@example.gc.ca"] == (
        "Invitation\u00a0: communauté de pratique «\u00a0Chimique\u00a0»"
    )
    invitation = Invitation.objects.get(email="new.person@example.ca")
    new_mail = next(m for m in mail.outbox if m.to == ["new.person@example.ca"])
    assert f"/en/communities/invitations/{invitation.token}/" in new_mail.body
    assert "Votre expertise nous serait précieuse." in new_mail.body
    assert Invitation.objects.get(email="known.person@example.gc.ca").invited_by == lead
    assert existing.memberships.count() == 0  # invited, not yet a member


def test_inviting_again_renews_the_invitation_and_sends_it_again(
    community_with_lead, django_capture_on_commit_callbacks
):
    community, lead = community_with_lead
    services.invitations_send(community=community, by=lead, emails=["a@example.ca"])
    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invitations_send(community=community, by=lead, emails=["A@example.ca"])
    assert result["renewed"] == ["a@example.ca"]
    invitation = Invitation.objects.get()
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)
    assert len(mail.outbox) == 1


def test_accepting_an_invitation_joins_with_the_invited_role(community_with_lead):
    community, lead = community_with_lead
    services.invitations_send(
        community=community, by=lead, emails=["pm@example.ca"], role=Membership.Role.OBSERVER
    )
    invitation = Invitation.objects.get()
    # (an account whose invited address is confirmed: tests/communities/test_membership_views)
    user = UserFactory(email="pm@example.ca", verified=True)
    membership = services.invitation_accept(invitation=invitation, user=user)
    assert (membership.state, membership.role) == (
        Membership.State.ACTIVE,
        Membership.Role.OBSERVER,
    )
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=user)


def test_an_invitation_cannot_be_used_by_someone_else_expired_or_revoked(community_with_lead):
    community, lead = community_with_lead
    services.invitations_send(community=community, by=lead, emails=["pm@example.ca", "b@ex.ca"])
    first, second = Invitation.objects.order_by("email")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=first, user=UserFactory(email="other@example.ca"))
    services.invitation_revoke(invitation=second, by=lead)
    with pytest.raises(ValidationError, match="expired or was withdrawn"):
        services.invitation_accept(invitation=second, user=UserFactory(email="b@ex.ca"))
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    with pytest.raises(ValidationError, match="expired or was withdrawn"):
        services.invitation_accept(invitation=first, user=UserFactory(email="pm@example.ca"))


def test_join_requests_respect_the_leads_preferences(community_with_lead):
    community, lead = community_with_lead
    NotificationPreference.objects.create(
        user=lead, kind=community_kinds.COMMUNITY_JOIN_REQUEST, frequency=Frequency.DAILY
    )
    services.membership_join(community=community, user=UserFactory())
    notification = Notification.objects.get(kind=community_kinds.COMMUNITY_JOIN_REQUEST)
    assert notification.frequency == Frequency.DAILY
