"""Permission-filtered reads: each returns only what the user may see, in a fixed number of
queries whatever the number of rows (the listings are tested for it)."""

import datetime
import functools

from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from communities.access import VIEW, standing_of
from communities.models import Community, Membership
from communities.policies import communities_managed_by, communities_participated_by
from cssp_portal.collation import order_by_name, ordering
from cssp_portal.precompiled import FirstPage, Precompiled
from members.models import User

from .models import (
    Announcement,
    Folder,
    Follow,
    Post,
    PostReport,
    ProtectedDownload,
    Resource,
    Thread,
)
from .policies import (
    announcements_visible_to,
    reader_communities,
    resources_visible_to,
    threads_visible_to,
)

__all__ = [
    "announcements_visible_to",
    "communities_managed_by",
    "communities_participated_by",
    "reader_communities",
    "resources_visible_to",
    "threads_visible_to",
]


# --- Announcements -------------------------------------------------------------------------


def community_announcements(community, *, now=None) -> QuerySet[Announcement]:
    """A community's published announcements (the caller checked it may see the community)."""
    return (
        Announcement.objects.published(now)
        .filter(communities=community)
        .select_related("author")
        .prefetch_related("communities")
    )


def home_announcements(user, *, limit: int = 5) -> list[Announcement]:
    """The latest news of the communities the user belongs to or follows as portfolio
    manager; nothing for visitors. Only what the home page shows of them is read (their
    titles, dates and communities' names: knowledge/_home_announcements.html)."""
    standing = standing_of(user)
    if not standing.signed_in:
        return []
    return _home_announcements_query(limit).list(
        community_ids=sorted(standing.member_of | standing.portfolio_ids), now=timezone.now()
    )


@functools.cache
def _home_announcements_query(limit: int) -> Precompiled:
    """Compiled once per process and language (cssp_portal.precompiled): built for every
    signed-in visit of the home page, its IN subquery cost more Python than its SQL."""

    def build(community_ids, now):
        ids = Announcement.objects.published(now).filter(communities__any=community_ids)
        return (
            Announcement.objects.filter(pk__in=ids.values("pk"))
            .only("title", "published_at")
            .prefetch_related(
                Prefetch("communities", queryset=Community.objects.only("name_en", "name_fr"))
            )[:limit]
        )

    return Precompiled("home announcements", build, community_ids=list, now=datetime.datetime)


# --- Discussions ---------------------------------------------------------------------------


def community_threads(community, *, include_hidden: bool = False) -> QuerySet[Thread]:
    """The threads started in the community or shared with it, pinned first, then by latest
    activity, with what a listing shows."""
    return _community_threads(community.pk, include_hidden=include_hidden)


def _community_threads(
    community_id: int, *, include_hidden: bool, ordered: bool = True
) -> QuerySet[Thread]:
    # Started here UNION shared here: "community OR shared_with" joined every thread to its
    # shares and filtered the whole table (a seq scan of every thread at program scale).
    # (No ordering in the parts: SQLite refuses an ORDER BY inside a compound subquery.)
    ids = (
        Thread.objects.filter(community_id=community_id)
        .order_by()
        .values("pk")
        .union(
            Thread.shared_with.through.objects.filter(community_id=community_id).values(
                "thread_id"
            ),
            all=True,
        )
    )
    threads = Thread.objects.filter(pk__in=ids)
    if include_hidden:
        # A community's leads see its own hidden threads, not those hidden by another home.
        threads = threads.filter(Q(hidden_at__isnull=True) | Q(community_id=community_id))
    else:
        threads = threads.listed()
    if not ordered:
        return threads.order_by().values("pk")
    # What the list shows (knowledge/thread_list.html): not every column of the community and
    # the author per thread.
    return threads.select_related("community", "author").only(
        *_THREAD_ENTRY_FIELDS,
        "community__name_en",
        "community__name_fr",
        "author__first_name",
        "author__last_name",
        "author__email",
    )


@functools.cache
def _thread_page_queries(include_hidden: bool, per_page: int) -> tuple[Precompiled, Precompiled]:
    """A community's threads counted, and their first page: each compiled once (the same for
    every community but for its id), with or without the hidden ones."""
    threads = functools.partial(_community_threads, include_hidden=include_hidden)
    hidden = "with" if include_hidden else "without"
    return (
        Precompiled(
            f"community threads count ({hidden} hidden)",
            lambda community_id: threads(community_id, ordered=False),
            community_id=int,
        ),
        Precompiled(
            f"community threads page ({hidden} hidden)",
            lambda community_id: threads(community_id)[:per_page],
            community_id=int,
        ),
    )


def thread_pages(community, *, include_hidden: bool, per_page: int) -> FirstPage:
    """`community_threads` for Django's Paginator: the count and the first page read by
    queries compiled once, any other page sliced from the queryset."""
    count, first = _thread_page_queries(include_hidden, per_page)
    return FirstPage(
        count=functools.partial(count.count, community_id=community.pk),
        first=functools.partial(first.list, community_id=community.pk),
        queryset=functools.partial(community_threads, community, include_hidden=include_hidden),
        per_page=per_page,
    )


_THREAD_ENTRY_FIELDS = (
    "title",
    "pinned",
    "locked",
    "hidden_at",
    "reply_count",
    "last_activity_at",
    "created_at",
    "community",
    "author",
)


def thread_posts(thread, *, include_hidden: bool) -> QuerySet[Post]:
    posts = thread.posts.select_related("author__organization", "hidden_by")
    if not include_hidden:
        posts = posts.filter(hidden_at__isnull=True)
    return posts


def open_reports(community) -> QuerySet[PostReport]:
    return (
        PostReport.objects.open()
        .filter(post__thread__community=community)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("created_at")
    )


def open_report_count(community) -> int:
    return open_reports(community).count()


# --- Library -------------------------------------------------------------------------------


def folder_children(folder_or_community) -> list[Folder]:
    """A folder's sub-folders, or a community library's top folders, by name, each with how
    many resources and folders it holds."""
    if isinstance(folder_or_community, Folder):
        return _SUB_FOLDERS.list(parent_id=folder_or_community.pk)
    return _TOP_FOLDERS.list(community_id=folder_or_community.pk)


def _counted_folders(folders: QuerySet[Folder]) -> QuerySet[Folder]:
    counted = folders.annotate(
        resource_count=Count("resources", distinct=True),
        folder_count=Count("children", distinct=True),
    )
    return order_by_name(counted, "name", "pk")


# The same for everyone who may open the library: compiled once (cssp_portal.precompiled).
_TOP_FOLDERS = Precompiled(
    "library top folders",
    lambda community_id: _counted_folders(
        Folder.objects.filter(community_id=community_id, parent__isnull=True)
    ),
    community_id=int,
)
_SUB_FOLDERS = Precompiled(
    "sub-folders",
    lambda parent_id: _counted_folders(Folder.objects.filter(parent_id=parent_id)),
    parent_id=int,
)


def folder_resources(user, folder) -> QuerySet[Resource]:
    return (
        resources_visible_to(user)
        .filter(folder=folder)
        .select_related("current_version", "created_by")
        .order_by(*ordering(Resource, "title", "pk"))
    )


def protected_downloads(community) -> QuerySet[ProtectedDownload]:
    """The community's record of Protected downloads, newest first (one query a page)."""
    return ProtectedDownload.objects.filter(community=community).select_related("resource", "user")


def resource_versions(resource):
    return resource.versions.select_related("uploaded_by").order_by("-number")


# --- Following and notifications -----------------------------------------------------------


def active_members_of(communities) -> QuerySet[User]:
    """The active members (any role) of any of `communities`, each once: who hears of an
    announcement."""
    return User.objects.filter(
        memberships__community__in=communities, memberships__state=Membership.State.ACTIVE
    ).distinct()


def community_leads(community) -> QuerySet[User]:
    """The community's active leads and co-leads: who hears of a reported message."""
    return User.objects.filter(
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__in=Membership.LEAD_ROLES,
    )


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
    if resource.is_protected:
        # Need to know (policies.can_read_protected): members and administrators only.
        return User.objects.filter(
            Q(groups__community_role__community_id=community.pk) | Q(is_superuser=True),
            is_active=True,
        ).distinct()
    if resource.visibility == Resource.Visibility.COMMUNITY or not community.is_public:
        return readers_of([community])
    return User.objects.filter(is_active=True)


def followers(*, thread=None, folder=None) -> QuerySet[User]:
    return User.objects.filter(
        Exists(Follow.objects.filter(user=OuterRef("pk"), thread=thread, folder=folder))
    )
