"""Every permission decision about communities.

Views and services ask these functions; they ask django-guardian. Django's ModelBackend ignores
objects and guardian knows only object grants, so each policy accepts either the global
permission (administrators, portfolio managers) or the grant on the community itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from members.models import User

    from .models import Community

VIEW = "communities.view_community"
PARTICIPATE = "communities.participate_in_community"
MANAGE = "communities.manage_community"


def _has(user, perm: str, community: Community) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(perm) or user.has_perm(perm, community)


def is_portfolio_manager(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("members.act_as_portfolio_manager"))


def can_view_community(user, community: Community) -> bool:
    """Public communities are visible to anyone; members-only ones to their members (any
    role), portfolio managers and administrators. Callers answer 404 when this is False."""
    if community.is_public:
        return True
    return _has(user, VIEW, community)


def can_participate(user, community: Community) -> bool:
    """Members, co-leads and leads take part (post, register); observers only read."""
    return _has(user, PARTICIPATE, community)


def can_manage_community(user, community: Community) -> bool:
    """Leads and co-leads manage their own community's page and roster; administrators any."""
    return _has(user, MANAGE, community)


def can_edit_community_page(user, community: Community) -> bool:
    """Leads and co-leads edit their community's page, objectives and member organizations
    while it is active; an archived community is changed only by administrators (the global
    permission)."""
    from .models import Community

    if community.status != Community.Status.ACTIVE:
        return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE))
    return can_manage_community(user, community)


def can_join(user, community: Community) -> bool:
    """A signed-in person who is not already a member may join an open community or ask to join
    one that takes requests, if they can see it and it is not archived. Invitation-only
    communities are joined only through an invitation."""
    from .models import Community

    if not user.is_authenticated or not user.is_active:
        return False
    if community.status != Community.Status.ACTIVE:
        return False
    if community.join_policy == Community.JoinPolicy.INVITATION:
        return False
    return can_view_community(user, community)


def can_answer_invitation(user, invitation) -> bool:
    """The invitation link is not enough on its own: the signed-in person must own the invited
    address (one of their confirmed addresses), so a forwarded link cannot be used by others."""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated or not user.is_active:
        return False
    email = invitation.email.lower()
    if user.email.lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
