from django.db.models import Prefetch, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from .models import Community, CommunityOrganization
from .policies import VIEW


def communities_of_member(user) -> QuerySet[Community]:
    """The communities the user belongs to (any active role), as their grants say."""
    if not user.is_authenticated:
        return Community.objects.none()
    return get_objects_for_user(
        user, VIEW, klass=Community, accept_global_perms=False, with_superuser=False
    )


def communities_visible_to(user) -> QuerySet[Community]:
    """Public communities, plus the members-only ones the user may see."""
    public = Q(visibility=Community.Visibility.PUBLIC)
    if not user.is_authenticated:
        return Community.objects.filter(public)
    if user.has_perm(VIEW):
        return Community.objects.all()
    return Community.objects.filter(public | Q(pk__in=communities_of_member(user).values("pk")))


def community_directory(user) -> QuerySet[Community]:
    """The directory: active top-level communities the user may see, with their lead
    organizations, in one query each."""
    leads = CommunityOrganization.objects.filter(
        role__in=[CommunityOrganization.Role.LEAD, CommunityOrganization.Role.CO_LEAD]
    ).select_related("organization")
    return (
        communities_visible_to(user)
        .active()
        .top_level()
        .prefetch_related(Prefetch("organization_links", queryset=leads, to_attr="lead_links"))
        .order_by("name")
    )


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
        communities = communities.filter(pk__in=communities_of_member(user).values("pk"))
    return communities.distinct()


def communities_followed_by(user) -> QuerySet[Community]:
    """The communities whose news concerns the user: those they belong to and those assigned
    to them as portfolio manager."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(
        Q(pk__in=communities_of_member(user).values("pk")) | Q(portfolio_managers=user)
    ).distinct()
