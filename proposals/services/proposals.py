"""A proposal's life: drafted for an open call, submitted, moved along its workflow
(policies.TRANSITIONS) and given a portfolio manager; the manager and the proposer hear of each
step."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cssp_portal.templatetags.portal import long_date, short_time
from members.models import User
from notifications.services import notify
from proposals import kinds, policies
from proposals.models import Call, Proposal, ProposalTransition
from proposals.selectors import first_portfolio_manager

from .projects import project_from_proposal


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
