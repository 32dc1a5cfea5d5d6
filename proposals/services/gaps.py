"""Gaps and priorities: members describe them, discuss and vote; leads edit and rank them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import Community
from members.models import User
from proposals import policies
from proposals.models import CapabilityGap, GapComment, GapVote


def _unique_gap_slug(community: Community, title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:100] or "gap"
    slug, n = base, 2
    taken = CapabilityGap.objects.filter(community=community)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    while slug == "new" or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


GAP_LEAD_FIELDS = ("status", "rank")


@transaction.atomic
def gap_create(*, community: Community, by: User, data: dict) -> CapabilityGap:
    """A member describes a gap (status "identified"); leads may also set status and rank.
    Raises PermissionDenied unless `policies.can_add_gap`."""
    if not policies.can_add_gap(by, community):
        raise PermissionDenied
    values = dict(data)
    if not policies.can_order_gaps(by, community):
        for field in GAP_LEAD_FIELDS:
            values.pop(field, None)
    gap = CapabilityGap(community=community, created_by=by, **values)
    gap.slug = _unique_gap_slug(community, gap.title_en or gap.title_fr or "")
    gap.full_clean()
    gap.save()
    return gap


@transaction.atomic
def gap_update(*, gap: CapabilityGap, by: User, data: dict) -> CapabilityGap:
    """Leads and co-leads of the gap's community edit it in both languages, its status and
    rank. Raises PermissionDenied for anyone else (a lead of another community included)."""
    if not policies.can_edit_gap(by, gap):
        raise PermissionDenied
    for field, value in data.items():
        setattr(gap, field, value)
    gap.full_clean()
    gap.save()
    return gap


@transaction.atomic
def gap_comment(*, gap: CapabilityGap, by: User, text: str) -> GapComment:
    if not policies.can_discuss_gap(by, gap):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a comment first."))
    comment = GapComment(gap=gap, author=by, text=text)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def gap_vote_toggle(*, gap: CapabilityGap, by: User) -> bool:
    """Add the member's vote for the gap, or take it back. True when the vote now counts."""
    if not policies.can_vote_gap(by, gap):
        raise PermissionDenied
    deleted, _rows = GapVote.objects.filter(gap=gap, voter=by).delete()
    if deleted:
        return False
    GapVote.objects.create(gap=gap, voter=by)
    return True
