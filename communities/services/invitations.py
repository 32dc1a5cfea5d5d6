"""Invitations: sending them (one address or a pasted list), answering and withdrawing them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import kinds, policies
from communities.models import Community, Invitation, Membership
from notifications.services import notify_address

from .membership import _display_name, _locked_current, membership_add_active

if TYPE_CHECKING:
    from members.models import User


@transaction.atomic
def invitations_send(
    *,
    community: Community,
    by: User,
    emails: list[str],
    role: str = Membership.Role.MEMBER,
    message: str = "",
    language: str = "en",
) -> dict[str, list[str]]:
    """Invite each address (people with and without an account, mixed). A pending invitation
    to the same address is renewed and sent again; current members are skipped. People with an
    account get the email in their own language, others in `language`.

    Returns {"invited": [...], "renewed": [...], "members": [...]} (addresses)."""
    if not policies.can_manage_community(by, community):
        raise PermissionDenied
    result: dict[str, list[str]] = {"invited": [], "renewed": [], "members": []}
    addresses = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    # A person is found by their account address or any of their confirmed addresses.
    people = {
        address.email.lower(): address.user
        for address in EmailAddress.objects.annotate(lowered=Lower("email"))
        .filter(lowered__in=addresses, verified=True)
        .select_related("user")
    } | {
        user.email.lower(): user
        for user in get_user_model()
        .objects.annotate(lowered=Lower("email"))
        .filter(lowered__in=addresses)
    }
    members = set(
        Membership.objects.filter(
            community=community, state=Membership.State.ACTIVE, user__in=people.values()
        ).values_list("user_id", flat=True)
    )
    for address in addresses:
        user = people.get(address)
        if user is not None and user.pk in members:
            result["members"].append(address)
            continue
        invitation = (
            Invitation.objects.select_for_update()
            .filter(community=community, email__iexact=address, state=Invitation.State.PENDING)
            .first()
        )
        if invitation is None:
            invitation = Invitation(community=community, email=address)
            result["invited"].append(address)
        else:
            invitation.renew()
            result["renewed"].append(address)
        invitation.role = role
        invitation.message = message.strip()
        invitation.invited_by = by
        invitation.full_clean()
        invitation.save()
        context = {
            "inviter_name": _display_name(by),
            "message": invitation.message,
            "expires_at": invitation.expires_at,
        }
        notify_address(
            kind=kinds.COMMUNITY_INVITATION,
            email=address,
            language=user.preferred_language if user else language,
            user=user,
            about=invitation,
            community=community,
            context=context,
            key=f"invitation:{invitation.pk}:{invitation.expires_at.isoformat()}",
        )
    return result


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person joins with the invited role. Raises ValidationError when the
    invitation expired, was revoked or already answered; PermissionDenied when the signed-in
    person does not own the invited address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(
            _(
                "This invitation has expired or was withdrawn. Ask the community's leads "
                "for a new one."
            )
        )
    if not policies.can_answer_invitation(user, invitation):
        raise PermissionDenied
    current = _locked_current(invitation.community, user)
    if current is not None and current.state == Membership.State.ACTIVE:
        membership = current
    else:
        membership = membership_add_active(
            community=invitation.community,
            user=user,
            role=invitation.role,
            by=invitation.invited_by,
        )
        membership.invitation = invitation
        membership.save(update_fields=["invitation", "updated_at"])
    # A guest invited by a lead is vetted by it, the lead being their sponsor.
    user.vet_by_invitation(sponsor=invitation.invited_by)
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_by = user
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["state", "accepted_by", "responded_at"])
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has expired or was withdrawn."))
    if not policies.can_answer_invitation(user, invitation):
        raise PermissionDenied
    invitation.state = Invitation.State.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["state", "responded_at"])
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """A lead withdraws a pending invitation: its link stops working at once."""
    if not policies.can_manage_community(by, invitation.community):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    invitation.state = Invitation.State.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["state", "responded_at"])
    return invitation
