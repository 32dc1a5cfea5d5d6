"""Every permission decision about communities, each rule beside the queryset it agrees with.

Policies take `who`: a user, a request or a Standing (communities/access.py). The person's
standing is read once per request (one query) and every rule here reads it: the global
permission (administrators, portfolio managers) or the grant on the community itself, as
django-guardian stores them. The accessors at the end fetch an object and check it in one call
(404 where existence itself is private, 403 where it is seen but not allowed).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cssp_portal.collation import order_by_name
from cssp_portal.precompiled import Precompiled

from .access import MANAGE, PARTICIPATE, VIEW, standing_of
from .models import Community, Organization

__all__ = ["MANAGE", "PARTICIPATE", "VIEW"]


def _has(who, perm: str, community: Community) -> bool:
    return standing_of(who).has(perm, community.pk)


def is_admin(who) -> bool:
    return standing_of(who).is_admin


def is_portfolio_manager(who) -> bool:
    return standing_of(who).is_portfolio_manager


def can_view_community(who, community: Community) -> bool:
    """Public communities are visible to anyone; members-only ones to their members (any
    role), portfolio managers and administrators. Callers answer 404 when this is False."""
    if community.is_public:
        return True
    return _has(who, VIEW, community)


def communities_visible_to(who) -> QuerySet[Community]:
    """Public communities, plus the members-only ones `who` may see (agrees with
    `can_view_community`)."""
    standing = standing_of(who)
    public = Q(visibility=Community.Visibility.PUBLIC)
    if standing.has_global(VIEW):
        return Community.objects.all()
    if not standing.signed_in:
        return Community.objects.filter(public)
    return Community.objects.filter(public | Q(pk__any=standing.member_of))


def communities_of_member(who) -> QuerySet[Community]:
    """The communities `who` belongs to (any active role), as their grants say."""
    return Community.objects.filter(pk__any=standing_of(who).member_of)


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
    if community.status != Community.Status.ACTIVE:
        return standing_of(user).has_global(MANAGE)
    return can_manage_community(user, community)


def can_join(user, community: Community) -> bool:
    """A vetted member who is not already a member may join an open community or ask to join
    one that takes requests, if they can see it and it is not archived. Invitation-only
    communities, and every community for guests, are joined only through an invitation."""
    if not standing_of(user).vetted:
        return False
    if community.status != Community.Status.ACTIVE:
        return False
    if community.join_policy == Community.JoinPolicy.INVITATION:
        return False
    return can_view_community(user, community)


def can_answer_invitation(user, invitation) -> bool:
    """The invitation link is not enough on its own: the signed-in person must own the invited
    address, confirmed (one of their verified addresses), so a forwarded link cannot be used by
    others and an unconfirmed account cannot claim an address it typed."""
    from allauth.account.models import EmailAddress

    standing = standing_of(user)
    if not standing.signed_in:
        return False
    return EmailAddress.objects.filter(
        user_id=standing.user_id, email__iexact=invitation.email, verified=True
    ).exists()


def communities_managed_by(who) -> QuerySet[Community]:
    """Active communities `who` leads (all of them for administrators); agrees with
    `can_manage_community` on active communities."""
    standing = standing_of(who)
    communities = Community.objects.active()
    if standing.has_global(MANAGE):
        return order_by_name(communities, "name")
    return order_by_name(communities.filter(pk__in=standing.community_ids_with(MANAGE)), "name")


def communities_participated_by(who) -> QuerySet[Community]:
    """Active communities where `who` takes part; agrees with `can_participate`."""
    standing = standing_of(who)
    communities = Community.objects.active()
    if standing.has_global(PARTICIPATE):
        return order_by_name(communities, "name")
    return order_by_name(
        communities.filter(pk__in=standing.community_ids_with(PARTICIPATE)), "name"
    )


# --- Accessors: fetch and check in one call ------------------------------------------------------


# The community of a page's address (every community page, library, discussion list...):
# compiled once (cssp_portal.precompiled), the same for everyone.
_COMMUNITY_BY_SLUG = Precompiled(
    "community by slug", lambda slug: Community.objects.filter(slug=slug), slug=str
)


def community_for_viewing(who, *, slug: str, read: Precompiled | None = None) -> Community:
    """The community, or 404 when it does not exist or is not visible to `who`. `read` (a
    query of one parameter, `slug`) reads it with what a page needs besides its columns."""
    community = (read or _COMMUNITY_BY_SLUG).first(slug=slug)
    if community is None or not can_view_community(who, community):
        raise Http404
    return community


def community_for_managing(who, *, slug: str) -> Community:
    """The community whose roster `who` manages: 404 to those who may not see it, 403 to
    those who see it but do not lead it."""
    community = community_for_viewing(who, slug=slug)
    if not can_manage_community(who, community):
        raise PermissionDenied
    return community


def community_for_editing(who, *, slug: str) -> Community:
    """The community whose page `who` edits: 404 / 403 as above."""
    community = community_for_viewing(who, slug=slug)
    if not can_edit_community_page(who, community):
        raise PermissionDenied
    return community


# --- Organizations --------------------------------------------------------------------------------


def can_view_organization(who, organization: Organization) -> bool:
    """Organizations are public: the program names its participating departments, agencies
    and partners. What their page lists follows each list's own rule (communities visible to
    `who`, profiles visible to `who`)."""
    return True


def organizations_visible_to(who) -> QuerySet[Organization]:
    """Every organization (agrees with `can_view_organization`)."""
    return Organization.objects.all()


def organization_for_viewing(who, *, slug: str) -> Organization:
    """The organization, or 404 when there is none with this slug."""
    organization = organizations_visible_to(who).filter(slug=slug).first()
    if organization is None or not can_view_organization(who, organization):
        raise Http404
    return organization
