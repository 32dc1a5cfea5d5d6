"""Writes with consequences on communities and memberships.

Object permissions are granted and revoked here and nowhere else: each community has one auth
group per membership role holding that role's permissions on it, and a person's group
memberships always follow their Membership rows (`membership_sync_access`).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from members.models import User
from notifications import kinds
from notifications.services import notify

from .models import Community, CommunityGroup, Membership
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
