from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.selectors import communities_visible_to
from cssp_portal.errors import first_message
from cssp_portal.ratelimits import rate_limited
from cssp_portal.uploads import download_response
from proposals import exports, policies, selectors, services
from proposals.forms import (
    AssignForm,
    AttachmentForm,
    CallDocumentForm,
    CallForm,
    DashboardFilterForm,
    GapCommentForm,
    GapFilterForm,
    GapForm,
    ProjectFilterForm,
    ProposalFilterForm,
    ProposalForm,
    SubmitForm,
    TransitionForm,
)
from proposals.models import Call, CallDocument, Proposal, ProposalAttachment

# --- Gaps and priorities ----------------------------------------------------------------------


def gap_list(request, community):
    community = policies.community_for_gaps(request, slug=community)
    form = GapFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    gaps = selectors.gap_register(
        community,
        request.user,
        order=filters.get("order") or "rank",
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
    )
    return render(
        request,
        "proposals/gap_list.html",
        {
            "community": community,
            "gaps": gaps,
            "form": form,
            "can_add": policies.can_add_gap(request.user, community),
            "can_manage": policies.can_order_gaps(request.user, community),
            "can_vote": policies.can_add_gap(request.user, community),
        },
    )


@login_required
def gap_create(request, community):
    community = policies.community_for_gaps(request, slug=community)
    if not policies.can_add_gap(request.user, community):
        raise PermissionDenied
    lead = policies.can_order_gaps(request.user, community)
    form = GapForm(request.POST or None, lead=lead)
    if request.method == "POST" and form.is_valid():
        try:
            gap = services.gap_create(community=community, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The gap was added to the register."))
            return redirect(gap)
    return render(
        request,
        "proposals/gap_form.html",
        {"community": community, "form": form, "gap": None},
        status=400 if form.errors else 200,
    )


@login_required
def gap_edit(request, community, slug):
    gap = policies.gap_for_viewing(request, community_slug=community, slug=slug)
    if not policies.can_edit_gap(request.user, gap):
        raise PermissionDenied
    form = GapForm(request.POST or None, instance=gap, lead=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.gap_update(gap=gap, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(gap)
    return render(
        request,
        "proposals/gap_form.html",
        {"community": gap.community, "form": form, "gap": gap},
        status=400 if form.errors else 200,
    )


def gap_detail(request, community, slug, comment_form=None, status=200):
    gap = policies.gap_for_viewing(request, community_slug=community, slug=slug)
    return render(
        request,
        "proposals/gap_detail.html",
        {
            "community": gap.community,
            "gap": gap,
            "comments": selectors.gap_comments(gap),
            "vote_count": gap.votes.count(),
            "voted": request.user.is_authenticated
            and gap.votes.filter(voter=request.user).exists(),
            "calls": gap.calls.published(),
            "projects": gap.projects.all(),
            "can_edit": policies.can_edit_gap(request.user, gap),
            "can_comment": policies.can_discuss_gap(request.user, gap),
            "can_vote": policies.can_vote_gap(request.user, gap),
            "comment_form": comment_form or GapCommentForm(),
            "date_modified": gap.updated_at,
        },
        status=status,
    )


@login_required
@require_POST
def gap_comment(request, community, slug):
    gap = policies.gap_for_viewing(request, community_slug=community, slug=slug)
    if not policies.can_discuss_gap(request.user, gap):
        raise PermissionDenied
    form = GapCommentForm(request.POST)
    if not form.is_valid():
        return gap_detail(request, community, slug, comment_form=form, status=400)
    services.gap_comment(gap=gap, by=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Your comment was posted."))
    return redirect(f"{gap.get_absolute_url()}#discussion")


@login_required
@require_POST
def gap_vote(request, community, slug):
    gap = policies.gap_for_viewing(request, community_slug=community, slug=slug)
    if not policies.can_vote_gap(request.user, gap):
        raise PermissionDenied
    if services.gap_vote_toggle(gap=gap, by=request.user):
        messages.success(request, _("Your vote was counted."))
    else:
        messages.success(request, _("Your vote was withdrawn."))
    if request.POST.get("back") == "register":
        return redirect("proposals:gap_list", community=gap.community.slug)
    return redirect(gap)


# --- Calls ------------------------------------------------------------------------------------


def call_list(request):
    now = timezone.now()
    calls = list(selectors.calls_visible_to(request.user))
    return render(
        request,
        "proposals/call_list.html",
        {
            "open_calls": [c for c in calls if c.is_published and c.opens_at <= now < c.closes_at],
            "upcoming_calls": [c for c in calls if c.is_published and now < c.opens_at],
            "closed_calls": [c for c in calls if c.is_published and c.closes_at <= now],
            "draft_calls": [c for c in calls if not c.is_published],
            "can_manage": policies.can_manage_calls(request.user),
        },
    )


def call_detail(request, slug, document_form=None, status=200):
    call = policies.call_for_viewing(request, slug=slug)
    return render(
        request,
        "proposals/call_detail.html",
        {
            "call": call,
            **selectors.call_detail_relations(call, request.user),
            "is_open": call.is_open(),
            "now": timezone.now(),
            "can_propose": policies.can_propose(request.user, call),
            "acts_for_government": policies.acts_for_government(request.user),
            "can_manage": policies.can_manage_calls(request.user),
            "documents": call.documents.all(),
            "document_form": document_form or CallDocumentForm(),
            "date_modified": call.updated_at,
        },
        status=status,
    )


def _call_form(request, call):
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            call = services.call_save(
                call=instance,
                by=request.user,
                communities=form.cleaned_data["communities"],
                priorities=form.cleaned_data["priorities"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The call was saved."))
            return redirect(call)
    return render(
        request,
        "proposals/call_form.html",
        {"form": form, "call": call if call.pk else None},
        status=400 if form.errors else 200,
    )


@login_required
def call_create(request):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    return _call_form(request, Call(year=timezone.localdate().year))


@login_required
def call_edit(request, slug):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    return _call_form(request, get_object_or_404(Call, slug=slug))


@login_required
@require_POST
def call_publish(request, slug):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call, slug=slug)
    services.call_publish(call=call, by=request.user)
    messages.success(request, _("The call is published."))
    return redirect(call)


@login_required
@require_POST
def call_document_upload(request, slug):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call, slug=slug)
    form = CallDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.call_document_add(
                call=call,
                by=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error("file", error)
    if form.errors:
        return call_detail(request, slug, document_form=form, status=400)
    messages.success(request, _("The document was added to the call."))
    return redirect(f"{call.get_absolute_url()}#documents")


def call_document_download(request, pk):
    document = get_object_or_404(CallDocument.objects.select_related("call"), pk=pk)
    if not policies.can_view_call(request.user, document.call):
        raise Http404
    return _file_response(document)


@login_required
@require_POST
def call_document_delete(request, pk):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    document = get_object_or_404(CallDocument.objects.select_related("call"), pk=pk)
    call = document.call
    services.call_document_delete(document=document, by=request.user)
    messages.success(request, _("The document was removed."))
    return redirect(f"{call.get_absolute_url()}#documents")


def _file_response(stored):
    return download_response(
        stored.file, filename=stored.original_name, content_type=stored.content_type
    )


# --- Proposals --------------------------------------------------------------------------------


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
            proposal = services.proposal_create(call=call, by=request.user, data=data, m2m=m2m)
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
            services.proposal_update(proposal=proposal, by=request.user, data=data, m2m=m2m)
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
        services.proposal_submit(proposal=proposal, by=request.user, comment=comment)
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
        services.proposal_transition(
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
        services.proposal_assign_manager(
            proposal=proposal, by=request.user, manager=form.cleaned_data["manager"]
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("The portfolio manager was assigned."))
    return redirect(proposal)


@login_required
@require_POST
def attachment_upload(request, pk):
    proposal = policies.proposal_for_viewing(request, pk=pk)
    if not policies.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                proposal=proposal, by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
    if form.errors:
        return proposal_detail(request, pk, attachment_form=form, status=400)
    messages.success(request, _("The file was attached."))
    return redirect(f"{proposal.get_absolute_url()}#attachments")


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(ProposalAttachment.objects.select_related("proposal"), pk=pk)
    if not policies.can_download_attachment(request.user, attachment):
        raise Http404
    return _file_response(attachment)


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(ProposalAttachment.objects.select_related("proposal"), pk=pk)
    if not policies.can_download_attachment(request.user, attachment):
        raise Http404
    if not policies.can_delete_attachment(request.user, attachment):
        raise PermissionDenied
    proposal = attachment.proposal
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("The file was removed."))
    return redirect(f"{proposal.get_absolute_url()}#attachments")


# --- Portfolio managers -----------------------------------------------------------------------


@login_required
def dashboard(request):
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.dashboard(
        request.user, community=filters.get("community"), call=filters.get("call")
    )
    return render(request, "proposals/dashboard.html", {"form": form, **data})


@login_required
def staff_proposal_list(request):
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    form = ProposalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = selectors.proposals_for_staff(
        request.user,
        status=filters.get("status", ""),
        community=filters.get("community"),
        call=filters.get("call"),
    )
    if request.GET.get("format") == "csv":
        if not policies.can_export(request.user):
            raise PermissionDenied
        return exports.proposals_csv(proposals)
    return render(
        request,
        "proposals/staff_proposal_list.html",
        {"form": form, "proposals": proposals, "query": request.GET.urlencode()},
    )


# --- Funded projects --------------------------------------------------------------------------


def project_list(request):
    visible = communities_visible_to(request.user)
    form = ProjectFilterForm(request.GET or None, visible_communities=visible)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_register(
        q=filters.get("q", ""),
        year=filters.get("year"),
        status=filters.get("status", ""),
        community=filters.get("community"),
    )
    if request.GET.get("format") == "csv":
        if not policies.can_export(request.user):
            raise PermissionDenied
        return exports.projects_csv(projects)
    visible_ids = set(visible.values_list("pk", flat=True))
    return render(
        request,
        "proposals/project_list.html",
        {
            "form": form,
            "projects": projects,
            "visible_community_ids": visible_ids,
            "can_export": policies.can_export(request.user),
            "query": request.GET.urlencode(),
        },
    )


def project_detail(request, slug):
    from proposals.models import Project

    try:
        project, relations = selectors.project_detail(slug, request.user)
    except Project.DoesNotExist:
        raise Http404 from None
    if not policies.can_view_project(request.user, project):
        raise Http404
    return render(
        request,
        "proposals/project_detail.html",
        {
            "project": project,
            **relations,
            "call_visible": project.call is not None
            and policies.can_view_call(request.user, project.call),
            "date_modified": project.updated_at,
        },
    )
