"""The portal's pages about the API: open data (the API's collections as CSV files, in the
page's language) and a member's personal tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.access import standing_of
from cssp_portal.csv_export import csv_response

from . import policies, selectors, serializers, services
from .forms import TokenForm

# name -> (title, description, rows, serializer), in the order of the open-data page.
DATASETS = {
    "communities": (
        gettext_lazy("Communities of practice"),
        gettext_lazy("Public communities of practice and their working groups."),
        selectors.api_communities,
        serializers.CommunitySerializer,
    ),
    "organizations": (
        gettext_lazy("Organizations"),
        gettext_lazy("Departments, agencies and partners taking part in the program."),
        selectors.api_organizations,
        serializers.OrganizationSerializer,
    ),
    "events": (
        gettext_lazy("Events"),
        gettext_lazy("Public events of the public communities."),
        selectors.api_events,
        serializers.EventSerializer,
    ),
    "calls": (
        gettext_lazy("Calls for proposals"),
        gettext_lazy("Published calls for proposals."),
        selectors.api_calls,
        serializers.CallSerializer,
    ),
    "projects": (
        gettext_lazy("Funded projects"),
        gettext_lazy("The register of projects funded by the program."),
        selectors.api_projects,
        serializers.ProjectSerializer,
    ),
}


def _public():
    """Open data is what anyone may see, whoever downloads it: a member's file never carries
    members-only rows they might republish."""
    return standing_of(AnonymousUser())


@require_GET
def open_data(request):
    datasets = [
        {"name": name, "title": title, "description": description}
        for name, (title, description, _rows, _serializer) in DATASETS.items()
    ]
    return render(request, "api/open_data.html", {"datasets": datasets})


@require_GET
def open_data_csv(request, dataset):
    if dataset not in DATASETS:
        raise Http404
    _title, _description, rows, serializer_class = DATASETS[dataset]
    standing = _public()
    data = serializer_class(
        rows(standing), many=True, context={"request": request, "standing": standing}
    ).data
    header = list(serializer_class().fields)

    def cell(value):
        if isinstance(value, list):
            return "; ".join(str(item) for item in value)
        return value

    language = request.LANGUAGE_CODE
    response = csv_response(
        f"cssp-{dataset}-{language}.csv",
        header,
        ([cell(row[name]) for name in header] for row in data),
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = services.api_token_create(by=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown once, on the next page, then forgotten: only its digest is stored.
            request.session["api_new_token"] = key
            messages.success(request, _("Your token was created. Copy it now: it is shown once."))
            return redirect("opendata:tokens")
    new_key = request.session.pop("api_new_token", None)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": policies.tokens_of(request),
            "new_key": new_key,
            "api_root": request.build_absolute_uri(reverse("api:api-root")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = policies.token_for_revoking(request, pk=pk)
    services.api_token_revoke(by=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("opendata:tokens")
