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
"""

from __future__ import annotations

from communities.policies import (
    VIEW,
    can_manage_community,
    can_participate,
    can_view_community,
)

from .models import Announcement, Folder, Post, Resource, Thread


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_community_reader(user, community) -> bool:
    """A member of the community (any role), a portfolio manager or an administrator: who
    reads what is for members only, whatever the community's public visibility."""
    if not _active(user):
        return False
    return user.has_perm(VIEW) or user.has_perm(VIEW, community)


# --- Announcements -------------------------------------------------------------------------


def can_view_announcement(user, announcement: Announcement) -> bool:
    return any(can_view_community(user, c) for c in announcement.communities.all())


def can_post_announcement(user, community) -> bool:
    return can_manage_community(user, community)


def can_edit_announcement(user, announcement: Announcement) -> bool:
    """Only someone who leads every community it went to may change or withdraw it."""
    communities = list(announcement.communities.all())
    return bool(communities) and all(can_manage_community(user, c) for c in communities)


# --- Discussions ---------------------------------------------------------------------------


def _thread_communities(thread: Thread) -> list:
    return [thread.community, *thread.shared_with.all()]


def can_read_discussions(user, community) -> bool:
    return is_community_reader(user, community)


def can_start_thread(user, community) -> bool:
    from communities.models import Community

    return community.status == Community.Status.ACTIVE and can_participate(user, community)


def can_moderate_thread(user, thread: Thread) -> bool:
    """Leads of the community the thread started in (its home) moderate it."""
    return can_manage_community(user, thread.community)


def can_view_thread(user, thread: Thread) -> bool:
    if thread.is_hidden and not can_moderate_thread(user, thread):
        return False
    return any(is_community_reader(user, c) for c in _thread_communities(thread))


def can_reply(user, thread: Thread) -> bool:
    if not can_view_thread(user, thread) or thread.is_hidden:
        return False
    if thread.locked and not can_moderate_thread(user, thread):
        return False
    return any(can_participate(user, c) for c in _thread_communities(thread))


def can_report_post(user, post: Post) -> bool:
    return (
        _active(user)
        and post.author_id != user.pk
        and not post.is_hidden
        and can_view_thread(user, post.thread)
    )


def can_edit_post(user, post: Post) -> bool:
    """Authors edit their own messages while they may still reply to the discussion (not once
    it is locked or hidden, nor after they left the community), and not once the leads hid
    the message. Leads hide messages; nobody rewrites someone else's."""
    return (
        _active(user)
        and post.author_id == user.pk
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


def can_view_resource(user, resource: Resource) -> bool:
    community = resource.folder.community
    if not can_view_community(user, community):
        return False
    if resource.visibility == Resource.Visibility.PUBLIC:
        return True
    if resource.visibility == Resource.Visibility.MEMBERS:
        return _active(user)
    return is_community_reader(user, community)


def can_download(user, resource: Resource) -> bool:
    return resource.kind == Resource.Kind.DOCUMENT and can_view_resource(user, resource)


def can_edit_resource(user, resource: Resource) -> bool:
    """Its author while they take part in the community, and the community's leads."""
    community = resource.folder.community
    if can_manage_library(user, community):
        return True
    return _active(user) and resource.created_by_id == user.pk and can_participate(user, community)


def can_follow_folder(user, folder: Folder) -> bool:
    return _active(user) and can_view_folder(user, folder)
