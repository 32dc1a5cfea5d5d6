"""Writes with consequences on announcements, discussions, the library and follows.

Each service checks its policy (PermissionDenied), validates (ValidationError), renders member
Markdown through the sanitizer once, and records its notifications in the same transaction
(notifications.services.notify), so a rolled-back write never emails anyone.

One module per sub-domain: announcements, discussions (threads, messages, moderation,
reports), library (folders, resources, versions, Protected downloads) and follows.
"""

from .announcements import announcement_create, announcement_delete, announcement_update
from .discussions import (
    post_edit,
    post_report,
    post_set_hidden,
    report_resolve,
    thread_move,
    thread_reply,
    thread_set_hidden,
    thread_set_locked,
    thread_set_pinned,
    thread_share,
    thread_start,
    thread_unshare,
)
from .follows import follow_set
from .library import (
    folder_create,
    protected_download_record,
    resource_add_version,
    resource_create,
    resource_update,
)

__all__ = [
    "announcement_create",
    "announcement_delete",
    "announcement_update",
    "folder_create",
    "follow_set",
    "post_edit",
    "post_report",
    "post_set_hidden",
    "protected_download_record",
    "report_resolve",
    "resource_add_version",
    "resource_create",
    "resource_update",
    "thread_move",
    "thread_reply",
    "thread_set_hidden",
    "thread_set_locked",
    "thread_set_pinned",
    "thread_share",
    "thread_start",
    "thread_unshare",
]
