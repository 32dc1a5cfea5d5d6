"""The gaps and priorities register of a community: list, detail, add, edit, discuss, vote."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals import policies, selectors
from proposals.forms import GapCommentForm, GapFilterForm, GapForm
from proposals.services import gaps as gap_services


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
            gap = gap_services.gap_create(
                community=community, by=request.user, data=form.cleaned_data
            )
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
            gap_services.gap_update(gap=gap, by=request.user, data=form.cleaned_data)
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
    gap_services.gap_comment(gap=gap, by=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Your comment was posted."))
    return redirect(f"{gap.get_absolute_url()}#discussion")


@login_required
@require_POST
def gap_vote(request, community, slug):
    gap = policies.gap_for_viewing(request, community_slug=community, slug=slug)
    if not policies.can_vote_gap(request.user, gap):
        raise PermissionDenied
    if gap_services.gap_vote_toggle(gap=gap, by=request.user):
        messages.success(request, _("Your vote was counted."))
    else:
        messages.success(request, _("Your vote was withdrawn."))
    if request.POST.get("back") == "register":
        return redirect("proposals:gap_list", community=gap.community.slug)
    return redirect(gap)
