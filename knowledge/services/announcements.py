"""Announcements: news a community's leads post to the communities they lead."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from knowledge import kinds, markdown, policies, selectors
from knowledge.kinds import EXCERPT
from knowledge.models import Announcement
from members.models import User
from notifications.services import notify


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
    members = selectors.active_members_of(communities).exclude(pk=by.pk)
    notify(
        kind=kinds.ANNOUNCEMENT,
        recipients=members,
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
