"""Lead tools: the community page's text and its member organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policies, services
from communities.forms import (
    CommunityPageForm,
    OrganizationAddForm,
)
from communities.models import CommunityOrganization
from cssp_portal.errors import first_message

if TYPE_CHECKING:
    pass


@login_required
def community_edit(request, slug):
    """The page's texts side by side in English and French, its objectives and settings."""
    community = policies.community_for_editing(request, slug=slug)
    form = CommunityPageForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.community_page_update(
                community=community,
                by=request.user,
                values=form.page_values(),
                objectives=form.cleaned_data["objectives"],
            )
        except ValidationError as error:
            # The model's own checks (the form already covers them): shown, nothing saved.
            form.add_error(None, error)
        else:
            messages.success(request, _("The community page was saved."))
            return redirect(community)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "communities/community_edit.html",
        {"community": community, "form": form},
        status=status,
    )


def _organizations_page(request, community, *, form=None, status=200):
    links = community.organization_links.select_related("organization")
    member = CommunityOrganization.Role.MEMBER
    return render(
        request,
        "communities/community_organizations.html",
        {
            "community": community,
            "lead_links": [link for link in links if link.role != member],
            "member_links": [link for link in links if link.role == member],
            "form": form or OrganizationAddForm(community=community),
        },
        status=status,
    )


@login_required
def community_organizations(request, slug):
    community = policies.community_for_editing(request, slug=slug)
    if request.method != "POST":
        return _organizations_page(request, community)
    form = OrganizationAddForm(request.POST, community=community)
    if not form.is_valid():
        return _organizations_page(request, community, form=form, status=400)
    try:
        link = services.community_organization_add(
            community=community, by=request.user, organization=form.cleaned_data["organization"]
        )
    except ValidationError as error:
        form.add_error("organization", error)
        return _organizations_page(request, community, form=form, status=400)
    messages.success(
        request,
        _("%(organization)s was added to the member organizations.")
        % {"organization": link.organization.name},
    )
    return redirect("communities:organizations", slug=community.slug)


@login_required
@require_POST
def community_organization_remove(request, slug, pk):
    community = policies.community_for_editing(request, slug=slug)
    link = get_object_or_404(
        CommunityOrganization.objects.select_related("organization", "community"),
        pk=pk,
        community=community,
    )
    try:
        services.community_organization_remove(link=link, by=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            _("%(organization)s was removed from the member organizations.")
            % {"organization": link.organization.name},
        )
    return redirect("communities:organizations", slug=community.slug)
