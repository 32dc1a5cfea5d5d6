"""A person's data in the knowledge app: announcements, discussions, messages, reports, follows,
library resources, uploads, folders and downloads of Protected files."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from members.models import User

from . import Category


def _announcements(user: User, seen: dict) -> list[dict]:
    from knowledge.models import Announcement

    return [
        {"title": a.title, "text": a.body, "published": a.published_at}
        for a in Announcement.objects.filter(author=user).order_by("pk")
    ]


def _discussions(user: User, seen: dict) -> list[dict]:
    from knowledge.models import Thread

    return [
        {"subject": t.title, "community": t.community.name, "started": t.created_at}
        for t in Thread.objects.filter(author=user).select_related("community").order_by("pk")
    ]


def _messages(user: User, seen: dict) -> list[dict]:
    from knowledge.models import Post

    # Their own messages only: the other messages of the thread belong to their authors.
    return [
        {
            "discussion": p.thread.title,
            "opening_message": p.is_opening,
            "message": p.body,
            "posted": p.created_at,
            "edited": p.edited_at,
            "hidden_by_moderators": p.hidden_at,
        }
        for p in Post.objects.filter(author=user).select_related("thread").order_by("pk")
    ]


def _reports(user: User, seen: dict) -> list[dict]:
    from knowledge.models import PostReport

    return [
        {"discussion": r.post.thread.title, "reason": r.reason, "reported": r.created_at}
        | {"resolved": r.resolved_at}
        for r in PostReport.objects.filter(reporter=user).select_related("post__thread")
    ]


def _follows(user: User, seen: dict) -> list[dict]:
    from knowledge.models import Follow

    return [
        {
            "discussion": f.thread.title if f.thread else "",
            "folder": f.folder.name if f.folder else "",
            "since": f.created_at,
        }
        for f in Follow.objects.filter(user=user).select_related("thread", "folder")
    ]


def _resources(user: User, seen: dict) -> list[dict]:
    from knowledge.models import Resource

    return [
        {
            "title": r.title,
            "description": r.description,
            "kind": r.get_kind_display(),
            "link": r.url,
            "sensitivity": r.get_sensitivity_display(),
            "added": r.created_at,
        }
        for r in Resource.objects.filter(created_by=user).order_by("created_at")
    ]


def _uploads(user: User, seen: dict) -> list[dict]:
    from knowledge.models import ResourceVersion

    return [
        {
            "resource": v.resource.title,
            "version": v.number,
            "file_name": v.original_name,
            "size_bytes": v.size,
            "what_changed": v.note,
            "uploaded": v.created_at,
        }
        for v in ResourceVersion.objects.filter(uploaded_by=user).select_related("resource")
    ]


def _folders(user: User, seen: dict) -> list[dict]:
    from knowledge.models import Folder

    return [
        {"folder": f.name, "community": f.community.name, "created": f.created_at}
        for f in Folder.objects.filter(created_by=user).select_related("community")
    ]


def _protected_downloads(user: User, seen: dict) -> list[dict]:
    from knowledge.models import ProtectedDownload

    return [
        {
            "community": d.community.name,
            "resource": d.resource_title,
            "sensitivity": d.get_sensitivity_display(),
            "version": d.version_number,
            "file_name": d.file_name,
            "address_recorded": d.user_email,
            "downloaded": d.downloaded_at,
        }
        for d in ProtectedDownload.objects.filter(user=user).select_related("community")
    ]


CATEGORIES: tuple[Category, ...] = (
    Category("announcements", _("Announcements"), _announcements),
    Category("discussions_started", _("Discussions started"), _discussions),
    Category("discussion_messages", _("Messages and replies"), _messages),
    Category("message_reports", _("Reports of messages"), _reports),
    Category("follows", _("Discussions and folders followed"), _follows),
    Category("library_resources", _("Library resources added"), _resources),
    Category("library_uploads", _("Library files uploaded"), _uploads),
    Category("library_folders", _("Library folders created"), _folders),
    Category("protected_downloads", _("Downloads of Protected files"), _protected_downloads),
)
