"""Writes with consequences on communities and memberships.

Object permissions are granted and revoked here and nowhere else: each community has one auth
group per membership role holding that role's permissions on it, and a person's group
memberships always follow their Membership rows (`membership_sync_access`).
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from members.models import User
from notifications import kinds
from notifications.services import notify, notify_address

from . import policies
from .models import Community, CommunityGroup, Invitation, Membership
from .policies import MANAGE, PARTICIPATE, VIEW

ROLE_PERMISSIONS = {
    Membership.Role.OBSERVER: (VIEW,),
    Membership.Role.MEMBER: (VIEW, PARTICIPATE),
    Membership.Role.CO_LEAD: (VIEW, PARTICIPATE, MANAGE),
    Membership.Role.LEAD: (VIEW, PARTICIPATE, MANAGE),
}

PORTFOLIO_MANAGERS_GROUP = "Portfolio managers"
PORTFOLIO_MANAGER_PERMISSIONS = ("members.act_as_portfolio_manager", VIEW)


@transaction.atomic
def community_ensure_groups(*, community: Community) -> dict[str, Group]:
    """Create (once) the per-role permission groups of a community and grant each its role's
    object permissions. Safe to call again: existing groups and grants are kept."""
    groups = {}
    existing = {cg.role: cg.group for cg in community.role_groups.select_related("group")}
    for role, perms in ROLE_PERMISSIONS.items():
        group = existing.get(role)
        if group is None:
            group = Group.objects.create(name=f"community:{community.pk}:{role}")
            CommunityGroup.objects.create(community=community, role=role, group=group)
            for perm in perms:
                assign_perm(perm, group, community)
        groups[role] = group
    return groups


@transaction.atomic
def membership_sync_access(*, membership: Membership) -> None:
    """Make the person's permission groups in this community match the membership row:
    the role's group while active, none otherwise."""
    groups = community_ensure_groups(community=membership.community)
    user = membership.user
    user.groups.remove(*groups.values())
    if membership.state == Membership.State.ACTIVE:
        user.groups.add(groups[membership.role])


@transaction.atomic
def membership_add_active(
    *,
    community: Community,
    user: User,
    role: str = Membership.Role.MEMBER,
    by: User | None = None,
    notify: bool = True,
) -> Membership:
    """Make `user` an active member of `community` with `role` (administrators and the data
    loader; members join through the request and invitation services). An existing current
    membership is activated and given the role. A newly active member is announced to the
    community's leads (and portfolio managers, if the community asks for it) unless `notify`
    is False (the data loader)."""
    now = timezone.now()
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, user=user, state__in=Membership.CURRENT_STATES)
        .first()
    )
    if membership is None:
        membership = Membership(community=community, user=user, created_at=now)
    newly_active = membership.state != Membership.State.ACTIVE
    membership.role = role
    membership.state = Membership.State.ACTIVE
    membership.joined_at = membership.joined_at or now
    membership.decided_by = by
    membership.full_clean(exclude=["invitation"])
    membership.save()
    membership_sync_access(membership=membership)
    if notify and newly_active:
        membership_announce(membership=membership)
    return membership


def membership_announce(*, membership: Membership) -> None:
    """Tell the community's leads, and its portfolio managers when the community asks for it,
    that someone became a member (kind "community.new_member")."""
    community = membership.community
    recipients = [
        lead.user
        for lead in community.memberships.filter(
            state=Membership.State.ACTIVE, role__in=Membership.LEAD_ROLES
        )
        .exclude(user=membership.user)
        .select_related("user")
    ]
    if community.notify_portfolio_managers_of_new_members:
        recipients += list(community.portfolio_managers.exclude(pk=membership.user_id))
    notify(
        kind=kinds.COMMUNITY_NEW_MEMBER,
        recipients=recipients,
        about=membership,
        community=community,
        context={
            "member_name": membership.user.get_full_name() or membership.user.email,
            "role": membership.role,
        },
        key=f"membership:{membership.pk}:active",
    )


@transaction.atomic
def portfolio_managers_group() -> Group:
    """The global group whose members act as CSSP portfolio managers everywhere."""
    group, created = Group.objects.get_or_create(name=PORTFOLIO_MANAGERS_GROUP)
    if created:
        for perm in PORTFOLIO_MANAGER_PERMISSIONS:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def _display_name(user: User) -> str:
    return user.get_full_name() or user.email


def _leads(community: Community, *, exclude: User | None = None) -> list[User]:
    leads = community.memberships.filter(
        state=Membership.State.ACTIVE, role__in=Membership.LEAD_ROLES
    ).select_related("user")
    if exclude is not None:
        leads = leads.exclude(user=exclude)
    return [membership.user for membership in leads]


def _locked_current(community: Community, user: User) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(community=community, user=user, state__in=Membership.CURRENT_STATES)
        .first()
    )


def _refuse_if_last_lead(membership: Membership, message: str) -> None:
    if membership.is_lead and not (
        Membership.objects.filter(
            community=membership.community,
            state=Membership.State.ACTIVE,
            role__in=Membership.LEAD_ROLES,
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(message)


def _end(membership: Membership, state: str, *, by: User | None, note: str = "") -> Membership:
    membership.state = state
    membership.ended_at = timezone.now()
    membership.decided_by = by
    if note:
        membership.decision_note = note
    membership.full_clean(exclude=["invitation"])
    membership.save()
    membership_sync_access(membership=membership)
    return membership


@transaction.atomic
def membership_join(*, community: Community, user: User, message: str = "") -> Membership:
    """Join an open community at once (its leads hear of the new member), or ask to join one
    that takes requests (its leads are asked to answer, with `message`).

    Raises PermissionDenied when `policies.can_join` refuses (invitation-only, archived, not
    visible), ValidationError when the person is already a member or already asked."""
    if not policies.can_join(user, community):
        raise PermissionDenied
    current = _locked_current(community, user)
    if current is not None:
        raise ValidationError(
            {
                Membership.State.ACTIVE: _("You are already a member of this community."),
                Membership.State.REQUESTED: _(
                    "You have already asked to join this community; its leads will answer."
                ),
                Membership.State.INVITED: _(
                    "You are invited to this community: accept the invitation to join."
                ),
            }[current.state]
        )
    if community.join_policy == Community.JoinPolicy.OPEN:
        return membership_add_active(community=community, user=user, by=user)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                community=community,
                user=user,
                state=Membership.State.REQUESTED,
                message=message.strip(),
            )
    except IntegrityError as exc:
        # The same person asked twice at the same moment (double click, two tabs).
        raise ValidationError(
            _("You have already asked to join this community; its leads will answer.")
        ) from exc
    notify(
        kind=kinds.COMMUNITY_JOIN_REQUEST,
        recipients=_leads(community),
        about=membership,
        community=community,
        context={"member_name": _display_name(user), "message": membership.message},
        key=f"membership:{membership.pk}:requested",
    )
    return membership


@transaction.atomic
def membership_decide(
    *, membership: Membership, by: User, approve: bool, note: str = ""
) -> Membership:
    """A lead approves (the person becomes a member) or declines a request to join, with an
    optional note; the requester is told either way, and the other leads of a new member.

    Raises PermissionDenied unless `by` manages the community, ValidationError when the request
    was already answered or withdrawn."""
    if not policies.can_manage_community(by, membership.community):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != Membership.State.REQUESTED:
        raise ValidationError(_("This request was already answered or withdrawn."))
    note = note.strip()
    if approve:
        membership.decision_note = note
        membership.save(update_fields=["decision_note", "updated_at"])
        membership = membership_add_active(
            community=membership.community, user=membership.user, by=by
        )
    else:
        _end(membership, Membership.State.DECLINED, by=by, note=note)
    notify(
        kind=kinds.COMMUNITY_JOIN_DECISION,
        recipients=[membership.user],
        about=membership,
        community=membership.community,
        context={"approved": approve, "note": note},
        key=f"membership:{membership.pk}:decided",
    )
    return membership


@transaction.atomic
def membership_leave(*, membership: Membership, user: User) -> Membership:
    """The member leaves (or withdraws their request). The last lead cannot leave: a community
    always keeps someone to run it. Raises PermissionDenied for anyone but the member."""
    if membership.user_id != user.pk:
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state not in (Membership.State.ACTIVE, Membership.State.REQUESTED):
        raise ValidationError(_("You are not a member of this community."))
    _refuse_if_last_lead(
        membership,
        _("You are this community's only lead: name another lead before you leave."),
    )
    return _end(membership, Membership.State.LEFT, by=user)


@transaction.atomic
def membership_remove(*, membership: Membership, by: User, note: str = "") -> Membership:
    """A lead removes a member from the roster (the row stays, as history)."""
    if not policies.can_manage_community(by, membership.community):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != Membership.State.ACTIVE:
        raise ValidationError(_("This person is not a member of the community."))
    _refuse_if_last_lead(
        membership, _("This is the community's only lead: name another lead first.")
    )
    return _end(membership, Membership.State.REMOVED, by=by, note=note.strip())


@transaction.atomic
def membership_change_role(*, membership: Membership, by: User, role: str) -> Membership:
    """A lead gives a member another role; permissions follow at once."""
    if not policies.can_manage_community(by, membership.community):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a role from the list."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != Membership.State.ACTIVE:
        raise ValidationError(_("This person is not a member of the community."))
    if role not in Membership.LEAD_ROLES:
        _refuse_if_last_lead(
            membership, _("This is the community's only lead: name another lead first.")
        )
    membership.role = role
    membership.decided_by = by
    membership.save(update_fields=["role", "decided_by", "updated_at"])
    membership_sync_access(membership=membership)
    return membership


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
        for user in User.objects.annotate(lowered=Lower("email")).filter(lowered__in=addresses)
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
