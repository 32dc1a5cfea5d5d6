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


def communities_followed_by(user) -> QuerySet[Community]:
    """The communities whose news concerns the user: those they belong to and those assigned
    to them as portfolio manager."""
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.filter(
        Q(pk__in=communities_of_member(user).values("pk")) | Q(portfolio_managers=user)
    ).distinct()
