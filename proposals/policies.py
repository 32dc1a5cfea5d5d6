"""Every permission decision of the program: gaps, calls, proposals, projects.

Community roles come from communities.policies (which ask django-guardian): members take part,
leads and co-leads manage their own community only. Portfolio managers hold a global permission
(`members.act_as_portfolio_manager`) and are assigned per community (Community.portfolio_managers)
and per proposal (Proposal.portfolio_manager). Administrators are superusers.

Where existence itself is private (a members-only community's gaps, someone else's proposal),
views answer 404 when the `can_view_*` policy says no.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from communities.access import standing_of
from communities.models import Community
from communities.policies import (
    can_manage_community,
    can_participate,
    can_view_community,
    community_for_viewing,
    is_admin,
    is_portfolio_manager,
)
from cssp_portal.params import id_or_none
from cssp_portal.people import user_of

from .models import Call, CapabilityGap, Proposal, ProposalAttachment, ProposalTransition

__all__ = ["is_admin", "is_portfolio_manager"]


def _active(user) -> bool:
    return standing_of(user).signed_in


def _user_id(who) -> int | None:
    return standing_of(who).user_id


def is_program_staff(user) -> bool:
    """Administrators and portfolio managers: they publish calls, review proposals, export."""
    return standing_of(user).is_program_staff


# --- Gaps and priorities ----------------------------------------------------------------------


def can_view_gaps(user, community: Community) -> bool:
    """A community's register is as visible as the community itself (404 otherwise)."""
    return can_view_community(user, community)


def can_add_gap(user, community: Community) -> bool:
    """Members, co-leads and leads describe new gaps; observers and outsiders only read."""
    return can_participate(user, community)


def can_edit_gap(user, gap: CapabilityGap) -> bool:
    """Leads and co-leads of the gap's own community edit it (both languages, status, rank);
    leads of another community have no power over it."""
    return can_manage_community(user, gap.community)


def can_order_gaps(user, community: Community) -> bool:
    return can_manage_community(user, community)


def can_discuss_gap(user, gap: CapabilityGap) -> bool:
    """Members comment; portfolio managers and administrators join the discussion too."""
    return can_participate(user, gap.community) or is_program_staff(user)


def can_vote_gap(user, gap: CapabilityGap) -> bool:
    """Members vote for the gaps of their community (one vote each)."""
    return can_participate(user, gap.community)


# --- Calls ------------------------------------------------------------------------------------


def can_manage_calls(user) -> bool:
    """Administrators and portfolio managers write and publish calls for proposals."""
    return is_program_staff(user)


def can_view_call(user, call) -> bool:
    return call.is_published or can_manage_calls(user)


# --- Proposals --------------------------------------------------------------------------------

GOVERNMENT_SECTORS = ("federal", "provincial_territorial", "municipal", "indigenous")


def acts_for_government(user) -> bool:
    organization = getattr(user_of(user), "organization", None)
    return organization is not None and organization.sector in GOVERNMENT_SECTORS


def can_propose(user, call) -> bool:
    """A vetted member whose organization is a government one drafts proposals for a call that
    is open now (F5: a vetted member's organization comes from their trusted domain or an
    administrator and cannot be changed on the profile; a guest's own pick never counts). The
    deadline is checked again at submission, with a message."""
    return standing_of(user).vetted and acts_for_government(user) and call.is_open()


def can_view_proposal(user, proposal: Proposal) -> bool:
    """The proposer always; the program staff once it is submitted (a draft is its writer's
    own business); nobody else (404 to others)."""
    if not _active(user):
        return False
    if proposal.proposer_id == _user_id(user):
        return True
    return is_program_staff(user) and not proposal.is_draft


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """Only the proposer, only while the proposal is a draft."""
    return _active(user) and proposal.proposer_id == _user_id(user) and proposal.is_draft


def is_assigned_manager(user, proposal: Proposal) -> bool:
    """The proposal's own portfolio manager, or, while none is assigned, any portfolio manager
    of one of the communities it concerns."""
    standing = standing_of(user)
    if not (standing.signed_in and standing.is_portfolio_manager):
        return False
    if proposal.portfolio_manager_id is not None:
        return proposal.portfolio_manager_id == standing.user_id
    return any(c.pk in standing.portfolio_ids for c in proposal.communities.all())


def can_assign_manager(user, proposal: Proposal) -> bool:
    return is_program_staff(user) and not proposal.is_draft


# Who moves a proposal from one status to the next. "proposer": the member who wrote it;
# "manager": its assigned portfolio manager (see is_assigned_manager) or an administrator;
# "admin": administrators only (the funding decision).
TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "submitted"): "proposer",
    ("draft", "withdrawn"): "proposer",
    ("submitted", "withdrawn"): "proposer",
    ("under_review", "withdrawn"): "proposer",
    ("recommended", "withdrawn"): "proposer",
    ("submitted", "under_review"): "manager",
    ("under_review", "recommended"): "manager",
    ("under_review", "not_funded"): "manager",
    ("recommended", "funded"): "admin",
    ("recommended", "not_funded"): "admin",
}

# A decision against the proposer's wishes, or their withdrawal, must be explained.
COMMENT_REQUIRED = {"not_funded", "withdrawn"}


def can_transition(user, proposal: Proposal, to_status: str) -> bool:
    actor = TRANSITIONS.get((proposal.status, to_status))
    if actor is None or not _active(user):
        return False
    if actor == "proposer":
        return proposal.proposer_id == _user_id(user)
    if actor == "manager":
        return is_admin(user) or is_assigned_manager(user, proposal)
    return is_admin(user)


def transitions_for(user, proposal: Proposal) -> list[str]:
    """The statuses `user` may move `proposal` to now (submission has its own form)."""
    return [
        to
        for (frm, to) in TRANSITIONS
        if frm == proposal.status and to != "submitted" and can_transition(user, proposal, to)
    ]


def can_download_attachment(user, attachment: ProposalAttachment) -> bool:
    return can_view_proposal(user, attachment.proposal)


def can_delete_attachment(user, attachment: ProposalAttachment) -> bool:
    return can_edit_proposal(user, attachment.proposal)


# --- Dashboard and exports --------------------------------------------------------------------


def can_view_dashboard(user) -> bool:
    return is_program_staff(user)


def can_export(user) -> bool:
    """CSV exports of proposals and projects: administrators and portfolio managers."""
    return is_program_staff(user)


def can_view_project(user, project) -> bool:
    """The register of funded projects is public (their members-only communities are not
    named to outsiders: see selectors.project_communities_visible)."""
    return True


# --- Accessors: fetch and check in one call ----------------------------------------------------


def community_for_gaps(who, *, slug: str) -> Community:
    """The community whose register `who` reads: 404 when unseen."""
    community = community_for_viewing(who, slug=slug)
    if not can_view_gaps(who, community):
        raise Http404
    return community


def gap_for_viewing(who, *, community_slug: str, slug: str) -> CapabilityGap:
    community = community_for_gaps(who, slug=community_slug)
    gap = (
        CapabilityGap.objects.select_related("community", "created_by")
        .filter(community=community, slug=slug)
        .first()
    )
    if gap is None:
        raise Http404
    return gap


def call_for_viewing(who, *, slug: str):
    call = Call.objects.filter(slug=slug).first()
    if call is None or not can_view_call(who, call):
        raise Http404
    return call


def _proposal_with_details(pk: int) -> Proposal:
    """The proposal with what its page shows (partners, communities, gaps, attachments,
    history), in a fixed number of queries."""
    return (
        Proposal.objects.select_related(
            "call", "lead_department", "proposer__organization", "portfolio_manager"
        )
        .prefetch_related(
            "partners",
            "communities",
            Prefetch("gaps", queryset=CapabilityGap.objects.select_related("community")),
            "attachments",
            Prefetch("transitions", queryset=ProposalTransition.objects.select_related("by")),
        )
        .get(pk=pk)
    )


def proposal_for_viewing(who, *, pk) -> Proposal:
    pk = id_or_none(pk)
    try:
        proposal = _proposal_with_details(pk) if pk is not None else None
    except Proposal.DoesNotExist:
        proposal = None
    if proposal is None or not can_view_proposal(who, proposal):
        raise Http404
    return proposal


def attachment_for_viewing(who, *, pk) -> ProposalAttachment:
    pk = id_or_none(pk)
    attachment = (
        ProposalAttachment.objects.select_related("proposal").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if attachment is None or not can_download_attachment(who, attachment):
        raise Http404
    return attachment
