"""A person's data in the proposals app: the gaps and priorities they identified, their votes
and comments on gaps, their proposals (as proposer or portfolio manager), the status changes they
made and the attachments they uploaded."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import User
from proposals.models import (
    CapabilityGap,
    GapComment,
    GapVote,
    Proposal,
    ProposalAttachment,
    ProposalTransition,
)

from . import Category


def _gaps(user: User, seen: dict) -> list[dict]:
    return [
        {"gap": g.title, "community": g.community.name, "description": g.description}
        | {"created": g.created_at}
        for g in CapabilityGap.objects.filter(created_by=user).select_related("community")
    ]


def _gap_votes(user: User, seen: dict) -> list[dict]:
    return [
        {"gap": v.gap.title, "community": v.gap.community.name, "voted": v.created_at}
        for v in GapVote.objects.filter(voter=user).select_related("gap__community")
    ]


def _gap_comments(user: User, seen: dict) -> list[dict]:
    return [
        {"gap": c.gap.title, "comment": c.text, "posted": c.created_at}
        for c in GapComment.objects.filter(author=user).select_related("gap")
    ]


def _proposals(user: User, seen: dict) -> list[dict]:
    rows = []
    for p in (
        Proposal.objects.filter(Q(proposer=user) | Q(portfolio_manager=user))
        .select_related("call")
        .order_by("pk")
    ):
        rows.append(
            {
                "title": p.title,
                "call": p.call.title,
                "your_role": _("Proposer") if p.proposer_id == user.pk else _("Portfolio manager"),
                "status": p.get_status_display(),
                "summary": p.summary,
                "objectives": p.objectives,
                "requested_funding_cad": p.requested_funding,
                "duration_months": p.duration_months,
                "submitted": p.submitted_at,
                "created": p.created_at,
            }
        )
    return rows


def _proposal_changes(user: User, seen: dict) -> list[dict]:
    return [
        {
            "proposal": t.proposal.title,
            "from": t.get_from_status_display(),
            "to": t.get_to_status_display(),
            "comment": t.comment,
            "changed": t.created_at,
        }
        for t in ProposalTransition.objects.filter(by=user).select_related("proposal")
    ]


def _proposal_attachments(user: User, seen: dict) -> list[dict]:
    return [
        {"proposal": a.proposal.title, "file_name": a.original_name, "size_bytes": a.size}
        | {"uploaded": a.created_at}
        for a in ProposalAttachment.objects.filter(uploaded_by=user).select_related("proposal")
    ]


CATEGORIES: tuple[Category, ...] = (
    Category("gaps_identified", _("Gaps and priorities identified"), _gaps),
    Category("gap_votes", _("Votes for gaps"), _gap_votes),
    Category("gap_comments", _("Comments on gaps"), _gap_comments),
    Category("proposals", _("Proposals"), _proposals),
    Category("proposal_status_changes", _("Proposal status changes"), _proposal_changes),
    Category("proposal_attachments", _("Proposal attachments"), _proposal_attachments),
)
