"""Permission-filtered reads: each returns only what the user may see, in a fixed number of
queries whatever the number of rows (the listings are tested for it)."""

from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from communities.models import Community
from communities.policies import MANAGE, PARTICIPATE, VIEW
from communities.selectors import (
    communities_followed_by,
    communities_of_member,
    communities_visible_to,
)
from members.models import User

from .models import Announcement, Folder, Follow, Post, PostReport, Resource, Thread


def reader_communities(user) -> QuerySet[Community]:
    """The communities whose members-only content the user reads: their own (any role), or all
    of them for portfolio managers and administrators."""
    if not (user.is_authenticated and user.is_active):
        return Community.objects.none()
    if user.has_perm(VIEW):
        return Community.objects.all()
    return communities_of_member(user)


def _communities_with(user, perm: str) -> QuerySet[Community]:
    if not (user.is_authenticated and user.is_active):
        return Community.objects.none()
    # Global permission (administrators) or the grant on each community.
    return get_objects_for_user(user, perm, klass=Community, with_superuser=True).active()


def communities_managed_by(user) -> QuerySet[Community]:
    """Active communities the user leads (all of them for administrators)."""
    return _communities_with(user, MANAGE).order_by("name")


def communities_participated_by(user) -> QuerySet[Community]:
    return _communities_with(user, PARTICIPATE).order_by("name")


# --- Announcements -------------------------------------------------------------------------


def announcements_visible_to(user) -> QuerySet[Announcement]:
    visible = communities_visible_to(user).values("pk")
    ids = Announcement.objects.published().filter(communities__in=visible).values("pk")
    return (
        Announcement.objects.filter(pk__in=ids)
        .select_related("author")
        .prefetch_related("communities")
    )


def community_announcements(community) -> QuerySet[Announcement]:
    """A community's published announcements (the caller checked it may see the community)."""
    return (
        Announcement.objects.published()
        .filter(communities=community)
        .select_related("author")
        .prefetch_related("communities")
    )


def home_announcements(user, *, limit: int = 5) -> list[Announcement]:
    """The latest news of the communities the user belongs to or follows as portfolio
    manager; nothing for visitors."""
    if not user.is_authenticated:
        return []
    ids = (
        Announcement.objects.published()
        .filter(communities__in=communities_followed_by(user).values("pk"))
        .values("pk")
    )
    return list(
        Announcement.objects.filter(pk__in=ids)
        .select_related("author")
        .prefetch_related("communities")[:limit]
    )


# --- Discussions ---------------------------------------------------------------------------


def threads_visible_to(user) -> QuerySet[Thread]:
    readable = reader_communities(user).values("pk")
    ids = (
        Thread.objects.listed()
        .filter(Q(community__in=readable) | Q(shared_with__in=readable))
        .values("pk")
    )
    return Thread.objects.filter(pk__in=ids)


def community_threads(community, *, include_hidden: bool = False) -> QuerySet[Thread]:
    """The threads started in the community or shared with it, pinned first, then by latest
    activity, with what a listing shows."""
    ids = Thread.objects.filter(Q(community=community) | Q(shared_with=community)).values("pk")
    threads = Thread.objects.filter(pk__in=ids)
    if include_hidden:
        # A community's leads see its own hidden threads, not those hidden by another home.
        threads = threads.filter(Q(hidden_at__isnull=True) | Q(community=community))
    else:
        threads = threads.listed()
    return threads.select_related("community", "author")


def thread_posts(thread, *, include_hidden: bool) -> QuerySet[Post]:
    posts = thread.posts.select_related("author__organization", "hidden_by")
    if not include_hidden:
        posts = posts.filter(hidden_at__isnull=True)
    return posts


def open_reports(community) -> QuerySet[PostReport]:
    return (
        PostReport.objects.filter(post__thread__community=community, resolved_at__isnull=True)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("created_at")
    )


def open_report_count(community) -> int:
    return open_reports(community).count()


# --- Library -------------------------------------------------------------------------------


def resources_visible_to(user) -> QuerySet[Resource]:
    """Resources of communities the user may see, as each one's visibility allows."""
    resources = Resource.objects.filter(
        folder__community__in=communities_visible_to(user).values("pk")
    )
    if not user.is_authenticated:
        return resources.filter(visibility=Resource.Visibility.PUBLIC)
    if user.has_perm(VIEW):
        return resources
    return resources.filter(
        Q(visibility__in=[Resource.Visibility.PUBLIC, Resource.Visibility.MEMBERS])
        | Q(folder__community__in=communities_of_member(user).values("pk"))
    )


def folder_children(folder_or_community) -> QuerySet[Folder]:
    if isinstance(folder_or_community, Folder):
        children = folder_or_community.children.all()
    else:
        children = Folder.objects.filter(community=folder_or_community, parent__isnull=True)
    return children.annotate(
        resource_count=Count("resources", distinct=True),
        folder_count=Count("children", distinct=True),
    )


def folder_resources(user, folder) -> QuerySet[Resource]:
    return (
        resources_visible_to(user)
        .filter(folder=folder)
        .select_related("current_version", "created_by")
        .order_by("title")
    )


def resource_versions(resource):
    return resource.versions.select_related("uploaded_by").order_by("-number")


# --- Following and notifications -----------------------------------------------------------


def is_following(user, *, thread=None, folder=None) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, thread=thread, folder=folder).exists()


def _view_permission():
    app_label, codename = VIEW.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


def readers_of(communities) -> QuerySet[User]:
    """Active people who read the members-only content of any of `communities`: their
    members (any role, through the role groups), portfolio managers and administrators."""
    ids = [c.pk for c in communities]
    view = _view_permission()
    return User.objects.filter(
        Q(groups__community_role__community_id__in=ids)
        | Q(is_superuser=True)
        | Q(groups__permissions__in=view)
        | Q(user_permissions__in=view),
        is_active=True,
    ).distinct()


def thread_readers(thread) -> QuerySet[User]:
    return readers_of([thread.community, *thread.shared_with.all()])


def resource_readers(resource) -> QuerySet[User]:
    """Who may see `resource` (for notifications about it)."""
    community = resource.folder.community
    if resource.visibility == Resource.Visibility.COMMUNITY or not community.is_public:
        return readers_of([community])
    return User.objects.filter(is_active=True)


def followers(*, thread=None, folder=None) -> QuerySet[User]:
    return User.objects.filter(
        Exists(Follow.objects.filter(user=OuterRef("pk"), thread=thread, folder=folder))
    )
