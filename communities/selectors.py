from django.db.models import Prefetch, Q, QuerySet

from cssp_portal.collation import order_by_name

from .access import standing_of
from .models import Community, CommunityOrganization
from .policies import communities_of_member, communities_visible_to

__all__ = ["communities_of_member", "communities_visible_to"]


def community_directory(user) -> QuerySet[Community]:
    """The directory: active top-level communities the user may see, with their lead
    organizations, in one query each."""
    leads = CommunityOrganization.objects.filter(
        role__in=[CommunityOrganization.Role.LEAD, CommunityOrganization.Role.CO_LEAD]
    ).select_related("organization")
    communities = (
        communities_visible_to(user)
        .active()
        .top_level()
        .prefetch_related(Prefetch("organization_links", queryset=leads, to_attr="lead_links"))
    )
    return order_by_name(communities, "name")


def community_directory_search(
    user, *, q: str = "", organization=None, join_policy: str = "", mine: bool = False
) -> QuerySet[Community]:
    """The directory narrowed by words (each must appear in a name, summary or member
    organization, in either language), an organization, a join policy, or the user's own."""
    communities = community_directory(user)
    for word in q.split():
        communities = communities.filter(
            Q(name_en__icontains=word)
            | Q(name_fr__icontains=word)
            | Q(summary_en__icontains=word)
            | Q(summary_fr__icontains=word)
            | Q(organizations__name_en__icontains=word)
            | Q(organizations__name_fr__icontains=word)
            | Q(organizations__acronym_en__icontains=word)
            | Q(organizations__acronym_fr__icontains=word)
        )
    if organization is not None:
        communities = communities.filter(organizations=organization)
    if join_policy:
        communities = communities.filter(join_policy=join_policy)
    if mine:
        communities = communities.filter(pk__in=standing_of(user).member_of)
    return communities.distinct()


def communities_followed_by(who) -> QuerySet[Community]:
    """The communities whose news concerns the person: those they belong to and those assigned
    to them as portfolio manager."""
    standing = standing_of(who)
    return Community.objects.filter(pk__in=standing.member_of | standing.portfolio_ids)
