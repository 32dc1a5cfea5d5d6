"""Writes with consequences on announcements, discussions, the library and follows.

Each service checks its policy (PermissionDenied), validates (ValidationError), renders member
Markdown through the sanitizer once, and records its notifications in the same transaction
(notifications.services.notify), so a rolled-back write never emails anyone.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import Community, Membership
from cssp_portal import uploads
from knowledge import kinds, markdown, policies, selectors
from knowledge.models import (
    Announcement,
    Folder,
    Follow,
    Post,
    PostReport,
    ProtectedDownload,
    Resource,
    ResourceVersion,
    Thread,
)
from members.models import User
from notifications.services import notify

EXCERPT = 300

# --- Announcements -------------------------------------------------------------------------


def _check_announcement_targets(by, communities: Iterable[Community]) -> list[Community]:
    communities = list(communities)
    if not communities:
        raise ValidationError({"communities": _("Choose at least one community.")})
    for community in communities:
        if not policies.can_post_announcement(by, community):
            raise PermissionDenied
    return communities


def _announcement_fields(announcement, *, title_en, title_fr, body_en, body_fr):
    announcement.title_en, announcement.title_fr = title_en, title_fr
    announcement.body_en, announcement.body_fr = body_en, body_fr
    announcement.body = body_en
    announcement.title = title_en
    # One sanitized rendering per language; the modeltranslation fields pick the page's.
    announcement.body_html_en = markdown.render(body_en)
    announcement.body_html_fr = markdown.render(body_fr)


@transaction.atomic
def announcement_create(
    *,
    by: User,
    communities: Iterable[Community],
    title_en: str,
    title_fr: str,
    body_en: str,
    body_fr: str,
) -> Announcement:
    """Post news to one or more communities the author leads (PermissionDenied otherwise) and
    tell their members (kind knowledge.announcement: a daily digest unless they chose
    otherwise)."""
    communities = _check_announcement_targets(by, communities)
    announcement = Announcement(author=by, published_at=timezone.now())
    _announcement_fields(
        announcement, title_en=title_en, title_fr=title_fr, body_en=body_en, body_fr=body_fr
    )
    announcement.full_clean()
    announcement.save()
    announcement.communities.set(communities)
    members = User.objects.filter(
        memberships__community__in=communities, memberships__state=Membership.State.ACTIVE
    ).exclude(pk=by.pk)
    notify(
        kind=kinds.ANNOUNCEMENT,
        recipients=members.distinct(),
        about=announcement,
        community=communities[0],
        context={
            "title_en": title_en,
            "title_fr": title_fr,
            "author_name": str(by),
            "excerpt_en": markdown.plain_text(announcement.body_html_en)[:EXCERPT],
            "excerpt_fr": markdown.plain_text(announcement.body_html_fr)[:EXCERPT],
        },
        key=f"knowledge.announcement:{announcement.pk}",
    )
    return announcement


@transaction.atomic
def announcement_update(
    *,
    announcement: Announcement,
    by: User,
    title_en: str,
    title_fr: str,
    body_en: str,
    body_fr: str,
) -> Announcement:
    """Correct an announcement (no new notification)."""
    if not policies.can_edit_announcement(by, announcement):
        raise PermissionDenied
    _announcement_fields(
        announcement, title_en=title_en, title_fr=title_fr, body_en=body_en, body_fr=body_fr
    )
    announcement.full_clean()
    announcement.save()
    return announcement


@transaction.atomic
def announcement_delete(*, announcement: Announcement, by: User) -> None:
    if not policies.can_edit_announcement(by, announcement):
        raise PermissionDenied
    announcement.delete()


# --- Discussions ---------------------------------------------------------------------------


def _profile_path(user: User) -> str:
    # Stored in the message's HTML, so without a language prefix: the locale middleware sends
    # the reader to the profile in their own language.
    with translation.override("en"):
        return reverse("members:profile", args=[user.pk]).removeprefix("/en")


def _render_post(post: Post) -> list[User]:
    """Render the post's Markdown and resolve its mentions to the people who can read the
    thread (a mention of anyone else stays plain text). Returns the people mentioned."""
    addresses = markdown.mentioned_addresses(post.body)
    people = []
    if addresses:
        people = list(
            selectors.thread_readers(post.thread)
            .annotate(lower_email=Lower("email"))
            .filter(lower_email__in=addresses)
        )
    mentions = {person.email.lower(): (_profile_path(person), str(person)) for person in people}
    post.body_html = markdown.render(post.body, mentions=mentions)
    return people


def _notify_mentions(post: Post, people: list[User], by: User) -> set[int]:
    people = [person for person in people if person.pk != by.pk]
    already = set(post.mentioned.values_list("pk", flat=True))
    new = [person for person in people if person.pk not in already]
    post.mentioned.add(*people)
    if new:
        notify(
            kind=kinds.MENTION,
            recipients=new,
            about=post,
            community=post.thread.community,
            context={
                "thread_title": post.thread.title,
                "author_name": str(by),
                "excerpt": markdown.plain_text(post.body_html)[:EXCERPT],
            },
            key=f"knowledge.mention:{post.pk}",
        )
    return {person.pk for person in people}


def _follow(user: User, **target) -> None:
    Follow.objects.get_or_create(user=user, **target)


@transaction.atomic
def thread_start(*, community: Community, by: User, title: str, body: str) -> Thread:
    """Start a discussion in a community the author takes part in; the author follows it and
    the members they mention are told."""
    if not policies.can_start_thread(by, community):
        raise PermissionDenied
    now = timezone.now()
    thread = Thread(community=community, author=by, title=title, created_at=now)
    thread.last_activity_at = now
    thread.full_clean()
    thread.save()
    post = Post(thread=thread, author=by, body=body, is_opening=True, created_at=now)
    people = _render_post(post)
    post.full_clean()
    post.save()
    _notify_mentions(post, people, by)
    _follow(by, thread=thread)
    return thread


@transaction.atomic
def thread_reply(*, thread: Thread, by: User, body: str) -> Post:
    """Add a reply (PermissionDenied when the thread is locked, hidden or not the author's to
    answer). Followers who may still read the thread are told (knowledge.reply), except the
    author and those mentioned (who get the mention instead); the author now follows it."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not policies.can_reply(by, thread):
        raise PermissionDenied
    post = Post(thread=thread, author=by, body=body)
    people = _render_post(post)
    post.full_clean()
    post.save()
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_activity_at=post.created_at
    )
    mentioned = _notify_mentions(post, people, by)
    recipients = (
        selectors.thread_readers(thread)
        .filter(knowledge_follows__thread=thread)
        .exclude(pk__in=[by.pk, *mentioned])
    )
    notify(
        kind=kinds.REPLY,
        recipients=recipients,
        about=post,
        community=thread.community,
        context={
            "thread_title": thread.title,
            "author_name": str(by),
            "excerpt": markdown.plain_text(post.body_html)[:EXCERPT],
        },
        key=f"knowledge.reply:{post.pk}",
    )
    _follow(by, thread=thread)
    return post


@transaction.atomic
def post_edit(*, post: Post, by: User, body: str) -> Post:
    """The author rewrites their message (PermissionDenied otherwise, see
    policies.can_edit_post). The message is marked edited; people it now mentions for the
    first time are told, and those it no longer mentions are dropped from its mentions."""
    post = Post.objects.select_for_update().select_related("thread__community").get(pk=post.pk)
    if not policies.can_edit_post(by, post):
        raise PermissionDenied
    post.body = body
    people = _render_post(post)
    post.edited_at = timezone.now()
    post.full_clean()
    post.save(update_fields=["body", "body_html", "edited_at"])
    mentioned = _notify_mentions(post, people, by)
    post.mentioned.remove(*post.mentioned.exclude(pk__in=mentioned))
    return post


def _moderate(thread: Thread, by: User) -> None:
    if not policies.can_moderate_thread(by, thread):
        raise PermissionDenied


@transaction.atomic
def thread_set_pinned(*, thread: Thread, by: User, pinned: bool) -> Thread:
    _moderate(thread, by)
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    return thread


@transaction.atomic
def thread_set_locked(*, thread: Thread, by: User, locked: bool) -> Thread:
    """A locked thread takes no more replies, except from its moderators."""
    _moderate(thread, by)
    thread.locked = locked
    thread.save(update_fields=["locked"])
    return thread


@transaction.atomic
def thread_set_hidden(*, thread: Thread, by: User, hidden: bool) -> Thread:
    """Hide a thread from members (its leads still see it) or show it again."""
    _moderate(thread, by)
    thread.hidden_at = timezone.now() if hidden else None
    thread.save(update_fields=["hidden_at"])
    return thread


@transaction.atomic
def thread_move(*, thread: Thread, by: User, to: Community) -> Thread:
    """Move a thread to another community led by the same person."""
    if not policies.can_move_thread_to(by, thread, to):
        raise PermissionDenied
    thread.community = to
    thread.save(update_fields=["community"])
    thread.shared_with.remove(to)
    return thread


@transaction.atomic
def thread_share(*, thread: Thread, by: User, communities: Iterable[Community]) -> Thread:
    """Share a thread with more communities, for cross-community work: their members read it
    and take part."""
    communities = list(communities)
    for community in communities:
        if not policies.can_share_thread_with(by, thread, community):
            raise PermissionDenied
    thread.shared_with.add(*communities)
    return thread


@transaction.atomic
def thread_unshare(*, thread: Thread, by: User, community: Community) -> Thread:
    _moderate(thread, by)
    thread.shared_with.remove(community)
    return thread


@transaction.atomic
def post_set_hidden(*, post: Post, by: User, hidden: bool) -> Post:
    """Hide a message (it stays, marked, for the leads) and resolve its open reports; the
    opening message is hidden by hiding the thread."""
    _moderate(post.thread, by)
    if post.is_opening and hidden:
        raise ValidationError(_("Hide the whole discussion to hide its first message."))
    now = timezone.now()
    post.hidden_at, post.hidden_by = (now, by) if hidden else (None, None)
    post.save(update_fields=["hidden_at", "hidden_by"])
    if hidden:
        post.reports.filter(resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)
    return post


@transaction.atomic
def post_report(*, post: Post, by: User, reason: str) -> PostReport:
    """Report a message to the home community's leads (knowledge.report). Reporting the same
    message twice while the first report is open is refused."""
    if not policies.can_report_post(by, post):
        raise PermissionDenied
    if PostReport.objects.filter(post=post, reporter=by, resolved_at__isnull=True).exists():
        raise ValidationError(_("You already reported this message. The leads will look at it."))
    report = PostReport(post=post, reporter=by, reason=reason)
    report.full_clean()
    report.save()
    community = post.thread.community
    leads = User.objects.filter(
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__in=Membership.LEAD_ROLES,
    )
    notify(
        kind=kinds.REPORT,
        recipients=leads,
        about=post.thread,
        community=community,
        context={"thread_title": post.thread.title, "reason": reason[:EXCERPT]},
        key=f"knowledge.report:{report.pk}",
    )
    return report


@transaction.atomic
def report_resolve(*, report: PostReport, by: User) -> PostReport:
    """Close a report without hiding the message (it was fine)."""
    _moderate(report.post.thread, by)
    report.resolved_at, report.resolved_by = timezone.now(), by
    report.save(update_fields=["resolved_at", "resolved_by"])
    return report


# --- Library -------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = getattr(settings, "KNOWLEDGE_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)


def allowed_extensions() -> str:
    return uploads.allowed_extensions(uploads.LIBRARY_TYPES)


def upload_check(upload) -> tuple[str, str]:
    """The safe name and content type of a library file, or ValidationError: the portal's one
    upload check (cssp_portal/uploads.py) with the library's types and size limit."""
    return uploads.validate_upload(upload, types=uploads.LIBRARY_TYPES, max_size=MAX_UPLOAD_BYTES)


@transaction.atomic
def folder_create(
    *,
    community: Community,
    by: User,
    name_en: str,
    name_fr: str,
    description_en: str = "",
    description_fr: str = "",
    parent: Folder | None = None,
) -> Folder:
    if not policies.can_manage_library(by, community):
        raise PermissionDenied
    folder = Folder(
        community=community,
        parent=parent,
        created_by=by,
        name=name_en,
        name_en=name_en,
        name_fr=name_fr,
        description_en=description_en,
        description_fr=description_fr,
    )
    folder.full_clean()
    folder.save()
    return folder


def _notify_folder_followers(resource: Resource, by: User, *, version=None) -> None:
    recipients = (
        selectors.resource_readers(resource)
        .filter(knowledge_follows__folder=resource.folder)
        .exclude(pk=by.pk)
    )
    notify(
        kind=kinds.RESOURCE,
        recipients=recipients,
        about=resource,
        community=resource.folder.community,
        context={
            "title_en": resource.title_en,
            "title_fr": resource.title_fr,
            "folder_en": resource.folder.name_en,
            "folder_fr": resource.folder.name_fr,
            "author_name": str(by),
            "version": version.number if version else None,
        },
        key=f"knowledge.resource:{resource.pk}:{version.number if version else 0}",
    )


def _add_version(resource: Resource, by: User, upload, note: str) -> ResourceVersion:
    name, content_type = upload_check(upload)
    last = resource.versions.order_by("-number").values_list("number", flat=True).first()
    version = ResourceVersion(
        resource=resource,
        number=(last or 0) + 1,
        original_name=name,
        size=upload.size,
        content_type=content_type,
        note=note,
        uploaded_by=by,
    )
    version.file.save(name, upload, save=False)
    version.full_clean()
    version.save()
    resource.current_version = version
    resource.save(update_fields=["current_version", "updated_at"])
    return version


@transaction.atomic
def resource_create(
    *,
    folder: Folder,
    by: User,
    kind: str,
    title_en: str,
    title_fr: str,
    description_en: str = "",
    description_fr: str = "",
    sensitivity: str,
    visibility: str,
    url: str = "",
    upload=None,
    note: str = "",
) -> Resource:
    """Add a document (its first version) or a link to a folder, and tell the folder's
    followers who may see it (knowledge.resource)."""
    if not policies.can_add_resource(by, folder):
        raise PermissionDenied
    resource = Resource(
        folder=folder,
        kind=kind,
        title=title_en,
        title_en=title_en,
        title_fr=title_fr,
        description_en=description_en,
        description_fr=description_fr,
        sensitivity=sensitivity,
        visibility=visibility,
        url=url if kind == Resource.Kind.LINK else "",
        created_by=by,
    )
    if kind == Resource.Kind.DOCUMENT and upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    resource.full_clean()
    resource.save()
    version = None
    if kind == Resource.Kind.DOCUMENT:
        version = _add_version(resource, by, upload, note)
    _notify_folder_followers(resource, by, version=version)
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by: User, **fields) -> Resource:
    """Change a resource's titles, descriptions, marking, visibility or link."""
    if not policies.can_edit_resource(by, resource):
        raise PermissionDenied
    allowed = {
        "title_en", "title_fr", "description_en", "description_fr", "sensitivity",
        "visibility", "url", "folder",
    }  # fmt: skip
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(resource, name, value)
    if "folder" in fields and fields["folder"].community_id != resource.folder.community_id:
        raise ValidationError({"folder": _("Choose a folder of the same community.")})
    resource.title = resource.title_en
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def resource_add_version(
    *, resource: Resource, by: User, upload, note: str = ""
) -> ResourceVersion:
    """Upload a new version of a document; earlier versions are kept and stay downloadable."""
    if not policies.can_edit_resource(by, resource):
        raise PermissionDenied
    if resource.kind != Resource.Kind.DOCUMENT:
        raise ValidationError(_("Only documents have versions."))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    version = _add_version(resource, by, upload, note)
    _notify_folder_followers(resource, by, version=version)
    return version


@transaction.atomic
def protected_download_record(
    *, resource: Resource, version: ResourceVersion, by: User
) -> ProtectedDownload | None:
    """Record that `by` is being given `version` of a Protected A or B resource (who, when,
    what), for the community's leads and administrators; nothing for an Unclassified one.
    Checks the download policy again (PermissionDenied), so no record is ever written for a
    file that was not served. The caller serves the file only after this returns."""
    if not policies.can_download(by, resource) or version.resource_id != resource.pk:
        raise PermissionDenied
    if not resource.is_protected:
        return None
    record = ProtectedDownload(
        community=resource.folder.community,
        resource=resource,
        version=version,
        user=by,
        user_email=by.email,
        resource_title=resource.title_en or resource.title,
        sensitivity=resource.sensitivity,
        version_number=version.number,
        file_name=version.original_name,
    )
    record.full_clean()
    record.save()
    return record


# --- Following -----------------------------------------------------------------------------


@transaction.atomic
def follow_set(*, user: User, following: bool, thread=None, folder=None) -> bool:
    """Follow (or stop following) a thread or a folder the user may see."""
    if thread is not None and not policies.can_follow_thread(user, thread):
        raise PermissionDenied
    if folder is not None and not policies.can_follow_folder(user, folder):
        raise PermissionDenied
    if following:
        _follow(user, thread=thread, folder=folder)
    else:
        Follow.objects.filter(user=user, thread=thread, folder=folder).delete()
    return following
