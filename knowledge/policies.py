"""Every permission decision about announcements, discussions and the library.

Built on the communities' policies: reading follows who may see a community, writing follows
who takes part, moderation follows who leads. The rules in short:

- Announcements are read by whoever may see one of their communities and posted by the leads
  (and co-leads) of every community they go to.
- Discussions are for members: read by the members (observers included) of the community they
  started in or were shared with, portfolio managers and administrators; started and answered
  by those who take part; pinned, locked, moved, shared and hidden by the home community's
  leads. Hidden threads and messages stay visible to the leads only.
- The library is read per resource (public, all signed-in members, or community members) and
  never beyond the community's own visibility; members add resources and new versions of their
  own; leads organize folders and may change any resource.
- Protected A and B resources are need to know: the owning community's members (any role) and
  administrators only, whatever the row says (the database forbids any other visibility too);
  every download of one is recorded, and the log is read by the community's leads and
  administrators.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from communities.access import VIEW, standing_of
from communities.models import Community
from communities.policies import (
    can_manage_community,
    can_participate,
    can_view_community,
    communities_visible_to,
    community_for_viewing,
)
from cssp_portal.params import pk_or_none

from .models import Announcement, Folder, Post, PostReport, Resource, Sensitivity, Thread


def _active(user) -> bool:
    return standing_of(user).signed_in


def _user_id(who) -> int | None:
    return standing_of(who).user_id


def is_community_reader(user, community) -> bool:
    """A member of the community (any role), a portfolio manager or an administrator: who
    reads what is for members only, whatever the community's public visibility."""
    return standing_of(user).has(VIEW, community.pk)


def reader_communities(who) -> QuerySet[Community]:
    """The communities whose members-only content `who` reads (agrees with
    `is_community_reader`): their own (any role), or all of them for portfolio managers and
    administrators."""
    standing = standing_of(who)
    if standing.has_global(VIEW):
        return Community.objects.all()
    return Community.objects.filter(pk__in=standing.member_of)


# --- Announcements -------------------------------------------------------------------------


def can_view_announcement(user, announcement: Announcement) -> bool:
    """Read by whoever may see one of its communities."""
    standing = standing_of(user)
    return any(can_view_community(standing, c) for c in announcement.communities.all())


def announcements_visible_to(who) -> QuerySet[Announcement]:
    """Published announcements `who` may read (agrees with `can_view_announcement` on
    published announcements; one scheduled for later is listed nowhere yet)."""
    visible = communities_visible_to(who).values("pk")
    ids = Announcement.objects.published().filter(communities__in=visible).values("pk")
    return (
        Announcement.objects.filter(pk__in=ids)
        .select_related("author")
        .prefetch_related("communities")
    )


def can_post_announcement(user, community) -> bool:
    return can_manage_community(user, community)


def can_edit_announcement(user, announcement: Announcement) -> bool:
    """Only someone who leads every community it went to may change or withdraw it."""
    standing = standing_of(user)
    communities = list(announcement.communities.all())
    return bool(communities) and all(can_manage_community(standing, c) for c in communities)


# --- Discussions ---------------------------------------------------------------------------


def _thread_communities(thread: Thread) -> list:
    return [thread.community, *thread.shared_with.all()]


def can_read_discussions(user, community) -> bool:
    return is_community_reader(user, community)


def can_start_thread(user, community) -> bool:
    return community.status == Community.Status.ACTIVE and can_participate(user, community)


def can_moderate_thread(user, thread: Thread) -> bool:
    """Leads of the community the thread started in (its home) moderate it."""
    return can_manage_community(user, thread.community)


def can_view_thread(user, thread: Thread) -> bool:
    if thread.is_hidden and not can_moderate_thread(user, thread):
        return False
    standing = standing_of(user)
    return any(is_community_reader(standing, c) for c in _thread_communities(thread))


def threads_visible_to(who) -> QuerySet[Thread]:
    """Listed threads `who` reads (agrees with `can_view_thread` on threads that are not
    hidden; hidden ones are listed to their moderators by the community's own listing)."""
    readable = reader_communities(who).values("pk")
    ids = (
        Thread.objects.listed()
        .filter(Q(community__in=readable) | Q(shared_with__in=readable))
        .values("pk")
    )
    return Thread.objects.filter(pk__in=ids)


def can_reply(user, thread: Thread) -> bool:
    if not can_view_thread(user, thread) or thread.is_hidden:
        return False
    if thread.locked and not can_moderate_thread(user, thread):
        return False
    standing = standing_of(user)
    return any(can_participate(standing, c) for c in _thread_communities(thread))


def can_report_post(user, post: Post) -> bool:
    return (
        _active(user)
        and post.author_id != _user_id(user)
        and not post.is_hidden
        and can_view_thread(user, post.thread)
    )


def can_edit_post(user, post: Post) -> bool:
    """Authors edit their own messages while they may still reply to the discussion (not once
    it is locked or hidden, nor after they left the community), and not once the leads hid
    the message. Leads hide messages; nobody rewrites someone else's."""
    return (
        _active(user)
        and post.author_id == _user_id(user)
        and not post.is_hidden
        and can_reply(user, post.thread)
    )


def can_view_post(user, post: Post) -> bool:
    if post.is_hidden:
        return can_moderate_thread(user, post.thread)
    return can_view_thread(user, post.thread)


def can_share_thread_with(user, thread: Thread, community) -> bool:
    """A lead of the thread's home community shares it with another community they take
    part in (so one lead cannot push discussions into communities they have no part in)."""
    return (
        community.pk != thread.community_id
        and can_moderate_thread(user, thread)
        and can_participate(user, community)
    )


def can_move_thread_to(user, thread: Thread, community) -> bool:
    return (
        community.pk != thread.community_id
        and can_moderate_thread(user, thread)
        and can_manage_community(user, community)
    )


def can_follow_thread(user, thread: Thread) -> bool:
    return _active(user) and can_view_thread(user, thread)


# --- Library -------------------------------------------------------------------------------


def can_view_library(user, community) -> bool:
    return can_view_community(user, community)


def can_view_folder(user, folder: Folder) -> bool:
    return can_view_community(user, folder.community)


def can_manage_library(user, community) -> bool:
    """Create folders and change any resource."""
    return can_manage_community(user, community)


def can_add_resource(user, folder: Folder) -> bool:
    return can_participate(user, folder.community)


def can_read_protected(who, community) -> bool:
    """Need to know for Protected A and B items: the active members of the owning community
    (any role, observers included) and administrators. Never all signed-in members, never the
    public, and not portfolio managers by their program role alone (they join the community
    to read its protected items). Agrees with `protected_reader_community_ids`.

    A core group (a named subset of the members) can narrow this later: test the member's
    core standing here and in `protected_reader_community_ids`, nowhere else."""
    standing = standing_of(who)
    return standing.is_admin or community.pk in standing.roles


def protected_reader_community_ids(who) -> frozenset[int] | None:
    """The communities whose Protected items `who` reads; None means all of them (agrees with
    `can_read_protected`)."""
    standing = standing_of(who)
    if standing.is_admin:
        return None
    return frozenset(standing.roles)


def can_view_resource(user, resource: Resource) -> bool:
    community = resource.folder.community
    if not can_view_community(user, community):
        return False
    if resource.is_protected:
        # Checked on the marking, not the visibility, so a row that escaped the constraint
        # (or a visibility added later) still reaches no one else.
        return can_read_protected(user, community)
    if resource.visibility == Resource.Visibility.PUBLIC:
        return True
    if resource.visibility == Resource.Visibility.MEMBERS:
        return standing_of(user).vetted
    return is_community_reader(user, community)


def resources_visible_to(who) -> QuerySet[Resource]:
    """Resources of communities `who` may see, as each one's visibility allows (agrees with
    `can_view_resource`)."""
    standing = standing_of(who)
    resources = Resource.objects.filter(
        folder__community__in=communities_visible_to(standing).values("pk")
    )
    if not standing.signed_in:
        return resources.filter(
            visibility=Resource.Visibility.PUBLIC, sensitivity=Sensitivity.UNCLASSIFIED
        )
    protected_ids = protected_reader_community_ids(standing)
    if protected_ids is not None:
        resources = resources.filter(
            Q(sensitivity=Sensitivity.UNCLASSIFIED) | Q(folder__community__in=protected_ids)
        )
    if standing.has_global(VIEW):
        return resources
    # "All signed-in members" means vetted members: guests read the public resources only.
    open_to = [Resource.Visibility.PUBLIC, Resource.Visibility.MEMBERS]
    return resources.filter(
        Q(visibility__in=open_to if standing.vetted else open_to[:1])
        | Q(folder__community__in=standing.member_of)
    )


def can_download(user, resource: Resource) -> bool:
    return resource.kind == Resource.Kind.DOCUMENT and can_view_resource(user, resource)


def can_view_download_log(user, community) -> bool:
    """The record of Protected downloads is read by the community's leads (and co-leads) and
    administrators."""
    return can_manage_community(user, community)


def can_edit_resource(user, resource: Resource) -> bool:
    """Its author while they take part in the community, and the community's leads."""
    community = resource.folder.community
    if can_manage_library(user, community):
        return True
    return (
        _active(user)
        and resource.created_by_id == _user_id(user)
        and can_participate(user, community)
    )


def can_follow_folder(user, folder: Folder) -> bool:
    return _active(user) and can_view_folder(user, folder)


# --- Accessors: fetch and check in one call (404 where the object is not visible) ----------------


def _fetch(queryset: QuerySet, pk):
    pk = pk_or_none(queryset.model, pk)
    return None if pk is None else queryset.filter(pk=pk).first()


def announcement_for_viewing(who, *, pk) -> Announcement:
    announcement = _fetch(
        Announcement.objects.select_related("author").prefetch_related("communities"), pk
    )
    if announcement is None or not can_view_announcement(who, announcement):
        raise Http404
    return announcement


def thread_for_viewing(who, *, pk) -> Thread:
    thread = _fetch(
        Thread.objects.select_related("community", "author").prefetch_related("shared_with"), pk
    )
    if thread is None or not can_view_thread(who, thread):
        raise Http404
    return thread


def post_for_viewing(who, *, pk) -> Post:
    post = _fetch(Post.objects.select_related("thread__community", "author"), pk)
    if post is None or not can_view_post(who, post):
        raise Http404
    return post


def folder_for_viewing(who, *, pk) -> Folder:
    folder = _fetch(Folder.objects.select_related("community", "parent"), pk)
    if folder is None or not can_view_folder(who, folder):
        raise Http404
    return folder


def resource_for_viewing(who, *, pk) -> Resource:
    resource = _fetch(
        Resource.objects.select_related("folder__community", "created_by", "current_version"), pk
    )
    if resource is None or not can_view_resource(who, resource):
        raise Http404
    return resource


def community_for_download_log(who, *, slug) -> Community:
    """The community whose Protected downloads `who` reads: 404 unless they see it, 403 unless
    they lead it or are an administrator."""
    community = community_for_viewing(who, slug=slug)
    if not can_view_download_log(who, community):
        raise PermissionDenied
    return community


def report_for_resolving(who, *, pk) -> PostReport:
    """A report on a message: 404 unless `who` sees its community, 403 unless they lead it."""
    report = _fetch(PostReport.objects.select_related("post__thread__community"), pk)
    if report is None:
        raise Http404
    community = report.post.thread.community
    if not can_view_community(who, community):
        raise Http404
    if not can_manage_community(who, community):
        raise PermissionDenied
    return report


# --- Resource centre ---------------------------------------------------------------------------

# What a community publishes beyond its own members: to everyone, or to every signed-in member.
RESOURCE_CENTRE_VISIBILITIES = (Resource.Visibility.PUBLIC, Resource.Visibility.MEMBERS)


def can_list_in_resource_centre(who, resource: Resource) -> bool:
    """The portal-wide resource centre lists a resource its community published beyond its own
    members, never a Protected item (whatever its visibility), and only if `who` may open it."""
    return (
        resource.visibility in RESOURCE_CENTRE_VISIBILITIES
        and not resource.is_protected
        and can_view_resource(who, resource)
    )


def resource_centre_resources(who) -> QuerySet[Resource]:
    """The resource centre's resources for `who` (agrees with `can_list_in_resource_centre`)."""
    return resources_visible_to(who).filter(
        visibility__in=RESOURCE_CENTRE_VISIBILITIES, sensitivity="unclassified"
    )
