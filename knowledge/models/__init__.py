"""Knowledge sharing: announcements, discussions, the resource library and follows.

Member-written Markdown is stored as written and, next to it, as sanitized HTML rendered once at
save time by services (markdown.render): pages never render Markdown per request and never
output anything the sanitizer did not let through.

One module per sub-domain; every model class is imported here so Django finds it (and
version_upload_to, which migration 0001 names as knowledge.models.version_upload_to).
"""

from .announcements import Announcement, AnnouncementQuerySet
from .discussions import Post, PostReport, PostReportQuerySet, Thread, ThreadQuerySet
from .follows import Follow
from .library import (
    PROTECTED_VISIBILITY_ERROR,
    Folder,
    ProtectedDownload,
    Resource,
    ResourceVersion,
    ResourceVersionQuerySet,
    Sensitivity,
    version_upload_to,
)

__all__ = [
    "PROTECTED_VISIBILITY_ERROR",
    "Announcement",
    "AnnouncementQuerySet",
    "Folder",
    "Follow",
    "Post",
    "PostReport",
    "PostReportQuerySet",
    "ProtectedDownload",
    "Resource",
    "ResourceVersion",
    "ResourceVersionQuerySet",
    "Sensitivity",
    "Thread",
    "ThreadQuerySet",
    "version_upload_to",
]
