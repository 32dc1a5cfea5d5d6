"""Writes with consequences on communities and memberships.

Object permissions are granted and revoked here and nowhere else: each community has one auth
group per membership role holding that role's permissions on it, and a person's group
memberships always follow their Membership rows (`membership_sync_access`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from communities import kinds, policies
from communities.access import forget_standing
from communities.models import Community, CommunityGroup, Membership
from communities.policies import MANAGE, PARTICIPATE, VIEW
from notifications.services import notify

if TYPE_CHECKING:
    from members.models import User

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
    # A later check in this request must read the new grants.
    forget_standing(user)


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
def membership_set_core(*, membership: Membership, by: User, core: bool) -> int:
    """A lead adds an active member to the community's core group, or takes them out of it.
    Returns the size of the core group afterwards: beyond Membership.CORE_GROUP_SOFT_LIMIT the
    caller warns the lead (a soft limit: never refused). Raises PermissionDenied to whoever
    does not manage the community, ValidationError for someone who is not an active member."""
    if not policies.can_manage_community(by, membership.community):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != Membership.State.ACTIVE:
        raise ValidationError(_("This person is not a member of the community."))
    if membership.is_core != core:
        membership.is_core = core
        membership.decided_by = by
        membership.save(update_fields=["is_core", "decided_by", "updated_at"])
        # The person's standing (core groups) is read anew by a later check in this request.
        forget_standing(membership.user)
    return Membership.objects.filter(
        community_id=membership.community_id, state=Membership.State.ACTIVE, is_core=True
    ).count()
