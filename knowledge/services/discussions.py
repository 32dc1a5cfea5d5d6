"""Discussions: starting and answering threads, editing messages, mentions, moderation
(pin, lock, hide, move, share) and reports."""

import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import Community
from knowledge import kinds, markdown, policies, selectors
from knowledge.kinds import EXCERPT
from knowledge.models import Post, PostReport, Thread
from members.models import User
from notifications.services import notify

from .follows import _follow


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
        post.reports.open().update(resolved_at=now, resolved_by=by)
    return post


@transaction.atomic
def post_report(*, post: Post, by: User, reason: str) -> PostReport:
    """Report a message to the home community's leads (knowledge.report). Reporting the same
    message twice while the first report is open is refused."""
    if not policies.can_report_post(by, post):
        raise PermissionDenied
    if post.reports.open().filter(reporter=by).exists():
        raise ValidationError(_("You already reported this message. The leads will look at it."))
    report = PostReport(post=post, reporter=by, reason=reason)
    report.full_clean()
    report.save()
    community = post.thread.community
    notify(
        kind=kinds.REPORT,
        recipients=selectors.community_leads(community),
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


def posts_unmention(*, user: User, addresses: Iterable[str]) -> None:
    """The person is leaving the portal (portal.accounts.account_delete): the messages that
    mention them no longer name them. Each mention of one of their addresses becomes
    "@former-member" and the message is rendered again."""
    for post in Post.objects.filter(mentioned=user).select_related("thread"):
        for address in addresses:
            post.body = re.sub(
                re.escape("@" + address), "@former-member", post.body, flags=re.IGNORECASE
            )
        _render_post(post)
        post.save(update_fields=["body", "body_html"])
    user.mentions.clear()
