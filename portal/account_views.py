"""A person's own data across the portal: what it holds, the download, deleting the account.

The pages are the members app's (members:personal_data, members:delete...); they live here
because what they show and erase belongs to every app (cssp_portal/urls.py adds them to the
members namespace).
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cssp_portal.ratelimits import rate_limited
from members import policies
from members.forms import AccountDeleteForm

from . import accounts, personal_data


@login_required
@require_GET
def personal_data_page(request):
    """What the portal holds about the person, why, for how long, and their rights."""
    if not policies.can_manage_own_personal_data(request):
        raise Http404
    return render(
        request,
        "members/personal_data.html",
        {
            "categories": personal_data.CATEGORIES,
            "blockers": policies.account_deletion_blockers(request),
        },
    )


@login_required
@require_POST
@rate_limited("personal_data")
def personal_data_download(request, fmt):
    """The person's data as JSON or as a .zip of CSV files. A POST (with its CSRF token), so
    that no link, prefetch or other site can start the export; never cached anywhere."""
    if not policies.can_manage_own_personal_data(request) or fmt not in ("json", "csv"):
        raise Http404
    data = personal_data.personal_data_of(request.user)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(
            personal_data.as_json(request.user, data), content_type="application/json"
        )
        name = f"cssp-personal-data-{stamp}.json"
    else:
        response = HttpResponse(
            personal_data.as_csv_zip(request.user, data), content_type="application/zip"
        )
        name = f"cssp-personal-data-{stamp}-csv.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("account_delete")
def account_delete(request):
    """Delete one's own account, after the password (or the typed word) and a choice about
    what they wrote. Refused, with the communities named, while they lead one."""
    if not policies.can_manage_own_personal_data(request):
        raise Http404
    blockers = policies.account_deletion_blockers(request)
    form = AccountDeleteForm(request.POST or None, member=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            accounts.account_delete(
                user=request.user, remove_contributions=form.remove_contributions
            )
        except accounts.LeadMustHandOver as refusal:
            blockers = refusal.communities
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. A confirmation was sent to the address you had. "
                    "Thank you for taking part in the communities of practice."
                ),
            )
            return redirect("home")
    # 409 while a lead role stands in the way, 400 for a wrong password or word (as every
    # form of the portal answers an invalid post).
    status = 409 if form.is_bound and blockers else 400 if form.is_bound else 200
    return render(
        request,
        "members/account_delete.html",
        {"form": form, "blockers": blockers},
        status=status,
    )
