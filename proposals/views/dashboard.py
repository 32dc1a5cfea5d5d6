"""The portfolio managers' dashboard and the staff's list of proposals."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from proposals import exports, policies, selectors
from proposals.forms import DashboardFilterForm, ProposalFilterForm


@login_required
def dashboard(request):
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None, **selectors.dashboard_filter_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.dashboard(
        request.user, community=filters.get("community"), call=filters.get("call")
    )
    # Each list of proposals is kept rendered under a digest of what its rows show (with the
    # language, dashboard.html): a manager's lists change with a submission or an assignment,
    # not from one visit to the next (75 rows took about 18 ms to render, tests/bench).
    versions = {name: data[name].version for name in selectors.PROPOSAL_LISTS}
    return render(request, "proposals/dashboard.html", {"form": form, **data, "versions": versions})


@login_required
def staff_proposal_list(request):
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    form = ProposalFilterForm(request.GET or None, **selectors.dashboard_filter_choices())
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
