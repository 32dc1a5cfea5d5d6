"""Writes with consequences in the program: gaps, calls, proposals and their workflow.

Every write checks its policy again (views ask first to choose 403 or 404; services refuse
anyway, so an admin action or a command cannot bypass the rules). Notifications are recorded
with notifications.services.notify inside the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import Community
from cssp_portal.templatetags.portal import long_date, short_time
from cssp_portal.uploads import validate_upload
from members.models import User
from notifications.services import notify
from proposals import kinds, policies
from proposals.models import (
    Call,
    CallDocument,
    CapabilityGap,
    GapComment,
    GapVote,
    Project,
    ProjectOrganization,
    Proposal,
    ProposalAttachment,
    ProposalTransition,
)
from proposals.selectors import first_portfolio_manager

# A proposal carries at most this many files.
MAX_PER_PROPOSAL = 10

# --- Gaps and priorities ----------------------------------------------------------------------


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


# --- Calls ------------------------------------------------------------------------------------


@transaction.atomic
def call_save(*, call: Call, by: User, communities=None, priorities=None) -> Call:
    """Create or update a call (administrators and portfolio managers)."""
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    if not call.slug:
        base = slugify(call.title_en or "")[:100] or "call"
        slug, n = base, 2
        while Call.objects.filter(slug=slug).exclude(pk=call.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        call.slug = slug
    call.full_clean()
    call.save()
    if communities is not None:
        call.communities.set(communities)
    if priorities is not None:
        call.priorities.set(priorities)
    return call


@transaction.atomic
def call_publish(*, call: Call, by: User) -> Call:
    """Publish a call: it appears in the public list and, once open, takes proposals. The
    priorities it addresses move to "addressed by a call" (unless already further along)."""
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    call.is_published = True
    call.full_clean()
    call.save(update_fields=["is_published", "updated_at"])
    call.priorities.filter(
        status__in=[CapabilityGap.Status.IDENTIFIED, CapabilityGap.Status.PRIORITIZED]
    ).update(status=CapabilityGap.Status.ADDRESSED_BY_CALL, updated_at=timezone.now())
    return call


@transaction.atomic
def call_document_add(*, call: Call, by: User, upload, title: str, language: str) -> CallDocument:
    """Publish a document with a call (program staff); checked like proposal attachments."""
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    name, content_type = validate_upload(upload)
    document = CallDocument(
        call=call,
        title=title.strip() or name,
        language=language,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(name, upload, save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def call_document_delete(*, document: CallDocument, by: User) -> None:
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    storage, path = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(path))


# --- Proposals --------------------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, call: Call, by: User, data: dict, m2m: dict) -> Proposal:
    """A government member starts a draft for an open call. Raises PermissionDenied unless
    `policies.can_propose` (signed in, government organization, call open)."""
    if not policies.can_propose(by, call):
        raise PermissionDenied
    proposal = Proposal(call=call, proposer=by, **data)
    if proposal.lead_department_id is None and policies.acts_for_government(by):
        proposal.lead_department = by.organization
    proposal.full_clean()
    proposal.save()
    for field, values in m2m.items():
        getattr(proposal, field).set(values)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, by: User, data: dict, m2m: dict) -> Proposal:
    """Save the draft (the proposer only, only while it is a draft)."""
    if not policies.can_edit_proposal(by, proposal):
        raise PermissionDenied
    for field, value in data.items():
        setattr(proposal, field, value)
    proposal.full_clean()
    proposal.save()
    for field, values in m2m.items():
        getattr(proposal, field).set(values)
    return proposal


@transaction.atomic
def proposal_submit(*, proposal: Proposal, by: User, comment: str = "") -> Proposal:
    """Submit a draft before its call closes. The proposal gets a portfolio manager (the first
    of its communities' managers) if it has none; the manager and the proposer are notified.

    Raises PermissionDenied for anyone but the proposer; ValidationError when it is not a
    draft, the call is closed (with the closing date in the message) or a part is missing."""
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if not policies.can_transition(by, proposal, Proposal.Status.SUBMITTED):
        if proposal.proposer_id == by.pk:
            raise ValidationError(_("Only draft proposals can be submitted."))
        raise PermissionDenied
    now = timezone.now()
    call = proposal.call
    if not call.is_open(now):
        closes = f"{long_date(call.closes_at)}, {short_time(call.closes_at)}"
        if now >= call.closes_at:
            raise ValidationError(
                _(
                    "The call closed on %(date)s: proposals can no longer be submitted. "
                    "Your draft is kept."
                )
                % {"date": closes}
            )
        raise ValidationError(_("This call is not open for submissions."))
    missing = proposal.missing_for_submission()
    if missing:
        raise ValidationError(
            _("Before you submit, add: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    if proposal.portfolio_manager_id is None:
        proposal.portfolio_manager = first_portfolio_manager(proposal)
    proposal.submitted_at = now
    return _move(proposal, by=by, to_status=Proposal.Status.SUBMITTED, comment=comment)


@transaction.atomic
def proposal_transition(
    *, proposal: Proposal, by: User, to_status: str, comment: str = ""
) -> Proposal:
    """Move a proposal along its workflow (see policies.TRANSITIONS for who may make which
    move). A comment is required to withdraw or to decline funding. Records the step in the
    history and notifies the assigned portfolio manager and the proposer."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if to_status == Proposal.Status.SUBMITTED:
        return proposal_submit(proposal=proposal, by=by, comment=comment)
    if (proposal.status, to_status) not in policies.TRANSITIONS:
        raise ValidationError(
            _("A proposal cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": Proposal.Status(proposal.status).label,
                "to": Proposal.Status(to_status).label,
            }
        )
    if not policies.can_transition(by, proposal, to_status):
        raise PermissionDenied
    comment = comment.strip()
    if to_status in policies.COMMENT_REQUIRED and not comment:
        raise ValidationError(_("Explain this decision in a comment."))
    if proposal.portfolio_manager_id is None and policies.is_assigned_manager(by, proposal):
        proposal.portfolio_manager = by  # whoever picks it up first owns it
    proposal = _move(proposal, by=by, to_status=to_status, comment=comment)
    if to_status == Proposal.Status.FUNDED:
        project_from_proposal(proposal=proposal)
    return proposal


def _unique_project_slug(title: str) -> str:
    base = slugify(title)[:100] or "project"
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def project_from_proposal(*, proposal: Proposal) -> Project:
    """A funded proposal enters the register of funded projects, keeping the trace: its call,
    communities, gaps (now "being addressed by a project"), lead department and partners.

    A proposal is often written in one language; the project's two languages start with the
    text the proposer wrote, for the administrators to translate in the admin."""
    if hasattr(proposal, "project"):
        return proposal.project
    title = proposal.title_en or proposal.title_fr or proposal.title
    summary = proposal.summary_en or proposal.summary_fr or proposal.summary or title
    project = Project(
        title_en=proposal.title_en or title,
        title_fr=proposal.title_fr or title,
        summary_en=proposal.summary_en or summary,
        summary_fr=proposal.summary_fr or summary,
        slug=_unique_project_slug(title),
        year=timezone.localdate().year,
        call=proposal.call,
        proposal=proposal,
        portfolio_manager=proposal.portfolio_manager,
    )
    project.full_clean()
    project.save()
    project.communities.set(proposal.communities.all())
    gaps = list(proposal.gaps.all())
    project.gaps.set(gaps)
    CapabilityGap.objects.filter(pk__in=[gap.pk for gap in gaps]).exclude(
        status=CapabilityGap.Status.CLOSED
    ).update(status=CapabilityGap.Status.ADDRESSED_BY_PROJECT, updated_at=timezone.now())
    links = []
    if proposal.lead_department_id:
        links.append(
            ProjectOrganization(
                project=project,
                organization_id=proposal.lead_department_id,
                role=ProjectOrganization.Role.LEAD,
            )
        )
    for position, partner in enumerate(proposal.partners.exclude(pk=proposal.lead_department_id)):
        links.append(
            ProjectOrganization(
                project=project,
                organization=partner,
                role=ProjectOrganization.Role.PARTNER,
                position=position,
            )
        )
    ProjectOrganization.objects.bulk_create(links)
    return project


def _move(proposal: Proposal, *, by: User, to_status: str, comment: str) -> Proposal:
    from_status = proposal.status
    proposal.status = to_status
    proposal.full_clean()
    proposal.save()
    transition = ProposalTransition.objects.create(
        proposal=proposal, from_status=from_status, to_status=to_status, by=by, comment=comment
    )
    _announce(proposal, transition)
    return proposal


def _announce(proposal: Proposal, transition: ProposalTransition) -> None:
    """The assigned portfolio manager and the proposer hear of every submission and status
    change, each in their own language (rendered at delivery)."""
    community = proposal.communities.order_by("name").first()
    context = {
        "proposal_title": proposal.title,
        "call_title": proposal.call.title,
        "from_status": transition.from_status,
        "to_status": transition.to_status,
        "comment": transition.comment,
        "by_name": transition.by.get_full_name() or transition.by.email if transition.by else "",
    }
    key = f"proposal:{proposal.pk}:transition:{transition.pk}"
    manager = proposal.portfolio_manager
    if manager is not None and manager.pk != transition.by_id:
        notify(
            kind=kinds.PROPOSAL_MANAGED,
            recipients=[manager],
            about=proposal,
            community=community,
            context={**context, "for_manager": True},
            key=key,
        )
    if proposal.proposer_id != transition.by_id:
        notify(
            kind=kinds.PROPOSAL_MINE,
            recipients=[proposal.proposer],
            about=proposal,
            community=community,
            context={**context, "for_manager": False},
            key=key,
        )
    elif transition.to_status == Proposal.Status.SUBMITTED:
        # The proposer's own confirmation that the submission went through.
        notify(
            kind=kinds.PROPOSAL_MINE,
            recipients=[proposal.proposer],
            about=proposal,
            community=community,
            context={**context, "for_manager": False},
            key=key,
        )


@transaction.atomic
def proposal_assign_manager(*, proposal: Proposal, by: User, manager: User | None) -> Proposal:
    """Program staff assign (or change) the proposal's portfolio manager, who is told."""
    if not policies.can_assign_manager(by, proposal):
        raise PermissionDenied
    if manager is not None and not policies.is_portfolio_manager(manager):
        raise ValidationError(_("This person is not a portfolio manager."))
    proposal.portfolio_manager = manager
    proposal.save(update_fields=["portfolio_manager", "updated_at"])
    if manager is not None and manager.pk != by.pk:
        notify(
            kind=kinds.PROPOSAL_MANAGED,
            recipients=[manager],
            about=proposal,
            community=proposal.communities.order_by("name").first(),
            context={
                "proposal_title": proposal.title,
                "call_title": proposal.call.title,
                "to_status": proposal.status,
                "assigned": True,
                "for_manager": True,
            },
            key=f"proposal:{proposal.pk}:assigned:{manager.pk}:{timezone.now():%Y%m%d%H%M%S}",
        )
    return proposal


@transaction.atomic
def attachment_add(*, proposal: Proposal, by: User, upload) -> ProposalAttachment:
    """Attach a file to a draft: type, size and name are checked (uploads.validate_upload);
    the file is stored under a random name and read only through the download view."""
    if not policies.can_edit_proposal(by, proposal):
        raise PermissionDenied
    if proposal.attachments.count() >= MAX_PER_PROPOSAL:
        raise ValidationError(
            _("A proposal can have at most %(max)d attachments.") % {"max": MAX_PER_PROPOSAL}
        )
    name, content_type = validate_upload(upload)
    attachment = ProposalAttachment(
        proposal=proposal,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ProposalAttachment, by: User) -> None:
    if not policies.can_delete_attachment(by, attachment):
        raise PermissionDenied
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
