"""The portfolio managers' dashboard and the staff's list of proposals."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from cssp_portal.fragments import shown_version
from proposals import exports, policies, selectors
from proposals.forms import DashboardFilterForm, ProposalFilterForm


@login_required
def dashboard(request):
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.dashboard(
        request.user, community=filters.get("community"), call=filters.get("call")
    )
    # Each list of proposals is kept rendered under a digest of what its rows show (with the
    # language, dashboard.html): a manager's lists change with a submission or an assignment,
    # not from one visit to the next (75 rows took about 18 ms to render, tests/bench).
    versions = {
        name: shown_version((data[name], PROPOSAL_ROW_SHOWN))
        for name in ("new", "waiting", "unassigned")
    }
    return render(request, "proposals/dashboard.html", {"form": form, **data, "versions": versions})


# What a row of proposals/_proposal_rows.html shows (both titles: the `lang` attribute of one
# shown in the other language), all read by selectors.dashboard.
PROPOSAL_ROW_SHOWN = (
    "pk",
    "title_en",
    "title_fr",
    "call.title_en",
    "call.title_fr",
    "lead_department.name_en",
    "lead_department.name_fr",
    "status",
    "portfolio_manager.first_name",
    "portfolio_manager.last_name",
    "portfolio_manager.email",
    "submitted_at",
)


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
