"""A proposal's pages: the proposer's list, drafting, the detail page and the workflow's moves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.selectors import communities_visible_to
from cssp_portal.errors import first_message
from cssp_portal.ratelimits import rate_limited
from proposals import policies, selectors
from proposals.forms import AssignForm, AttachmentForm, ProposalForm, SubmitForm, TransitionForm
from proposals.models import Proposal
from proposals.services import proposals as proposal_services


@login_required
def proposal_list(request):
    return render(
        request,
        "proposals/proposal_list.html",
        {"proposals": selectors.proposals_of(request.user)},
    )


@login_required
def proposal_create(request, slug):
    call = policies.call_for_viewing(request, slug=slug)
    if not policies.can_propose(request.user, call):
        raise PermissionDenied
    visible = communities_visible_to(request.user)
    form = ProposalForm(
        request.POST or None,
        visible_communities=visible,
        initial={"lead_department": request.user.organization_id},
    )
    if request.method == "POST" and form.is_valid():
        data, m2m = form.split()
        try:
            proposal = proposal_services.proposal_create(
                call=call, by=request.user, data=data, m2m=m2m
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your draft was saved. Add attachments, then submit it."))
            return redirect(proposal)
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "call": call, "proposal": None},
        status=400 if form.errors else 200,
    )


@login_required
def proposal_edit(request, pk):
    proposal = policies.proposal_for_viewing(request, pk=pk)
    if not policies.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = ProposalForm(
        request.POST or None,
        instance=proposal,
        visible_communities=communities_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data, m2m = form.split()
        try:
            proposal_services.proposal_update(
                proposal=proposal, by=request.user, data=data, m2m=m2m
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your draft was saved."))
            return redirect(proposal)
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "call": proposal.call, "proposal": proposal},
        status=400 if form.errors else 200,
    )


@login_required
def proposal_detail(request, pk, attachment_form=None, status=200):
    proposal = policies.proposal_for_viewing(request, pk=pk)
    user = request.user
    can_edit = policies.can_edit_proposal(user, proposal)
    transitions = policies.transitions_for(user, proposal)
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "can_edit": can_edit,
            "can_submit": can_edit and policies.can_transition(user, proposal, "submitted"),
            "call_is_open": proposal.call.is_open(),
            "transitions": [(s, Proposal.Status(s).label) for s in transitions],
            "comment_required": sorted(policies.COMMENT_REQUIRED),
            "can_assign": policies.can_assign_manager(user, proposal),
            "assign_form": AssignForm(initial={"manager": proposal.portfolio_manager_id}),
            "attachment_form": attachment_form or AttachmentForm(),
            "submit_form": SubmitForm(),
            "transition_form": TransitionForm(),
            "date_modified": proposal.updated_at,
        },
        status=status,
    )


@login_required
@require_POST
@rate_limited("proposal")
def proposal_submit(request, pk):
    proposal = policies.proposal_for_viewing(request, pk=pk)
    if proposal.proposer_id != request.user.pk:
        raise PermissionDenied
    form = SubmitForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        proposal_services.proposal_submit(proposal=proposal, by=request.user, comment=comment)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            _(
                "Your proposal was submitted. The portfolio manager was told and you will get a "
                "copy by email."
            ),
        )
    return redirect(proposal)


@login_required
@require_POST
def proposal_transition(request, pk):
    proposal = policies.proposal_for_viewing(request, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return redirect(proposal)
    to_status = form.cleaned_data["to_status"]
    if not policies.can_transition(request.user, proposal, to_status):
        raise PermissionDenied
    try:
        proposal_services.proposal_transition(
            proposal=proposal,
            by=request.user,
            to_status=to_status,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            _("The proposal is now “%(status)s”.") % {"status": Proposal.Status(to_status).label},
        )
    return redirect(proposal)


@login_required
@require_POST
def proposal_assign(request, pk):
    proposal = policies.proposal_for_viewing(request, pk=pk)
    if not policies.can_assign_manager(request.user, proposal):
        raise PermissionDenied
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a portfolio manager from the list."))
        return redirect(proposal)
    try:
        proposal_services.proposal_assign_manager(
            proposal=proposal, by=request.user, manager=form.cleaned_data["manager"]
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("The portfolio manager was assigned."))
    return redirect(proposal)
