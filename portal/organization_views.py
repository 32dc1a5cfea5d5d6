"""Organization pages: the index of the program's organizations and one page for each.

Kept apart from views.py (communities and their rosters). An organization is public; what its
page lists follows each list's own rule: the communities `communities_visible_to` the viewer,
the program's public register of funded projects, and, for signed-in members, the people
`profiles_visible_to` them who chose to be listed in the member directory.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from communities import policies
from communities.access import standing_of
from communities.models import CommunityOrganization, Organization
from cssp_portal.collation import order_by_name, ordering, person_ordering
from members.policies import profiles_visible_to
from proposals.models import ProjectOrganization

ORGANIZATIONS_PER_PAGE = 50
MEMBERS_SHOWN = 100


class OrganizationFilterForm(forms.Form):
    """The index's search and filters (GET: the URL can be bookmarked)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A word from the name or the acronym, in English or French."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("All sectors")), *Organization.Sector.choices],
    )
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"),
        required=False,
        choices=[("", _("All jurisdictions")), *Organization.Jurisdiction.choices],
    )


def organization_list(request):
    form = OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = policies.organizations_visible_to(request)
    for word in filters.get("q", "").split()[:8]:
        organizations = organizations.filter(
            Q(name_en__icontains=word)
            | Q(name_fr__icontains=word)
            | Q(acronym_en__iexact=word)
            | Q(acronym_fr__iexact=word)
        )
    if filters.get("sector"):
        organizations = organizations.filter(sector=filters["sector"])
    if filters.get("jurisdiction"):
        organizations = organizations.filter(jurisdiction=filters["jurisdiction"])
    page = Paginator(order_by_name(organizations, "name", "pk"), ORGANIZATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "communities/organization_list.html",
        {"form": form, "page": page, "organizations": page.object_list, "filtered": bool(filters)},
    )


def organization_detail(request, slug):
    organization = policies.organization_for_viewing(request, slug=slug)
    visible = policies.communities_visible_to(request).values("pk")
    community_links = list(
        CommunityOrganization.objects.filter(organization=organization, community__in=visible)
        .select_related("community")
        .order_by(*ordering(CommunityOrganization, "community__name"))
    )
    project_links = list(
        ProjectOrganization.objects.filter(organization=organization)
        .select_related("project")
        .order_by(*ordering(ProjectOrganization, "-project__year", "project__title"))
    )
    members = None
    if standing_of(request).signed_in:
        members = list(
            profiles_visible_to(request)
            .filter(organization=organization, listed_in_directory=True, is_active=True)
            .order_by(*person_ordering())[:MEMBERS_SHOWN]
        )
    return render(
        request,
        "communities/organization_detail.html",
        {
            "organization": organization,
            "led": [
                link for link in community_links if link.role != CommunityOrganization.Role.MEMBER
            ],
            "member_of": [
                link for link in community_links if link.role == CommunityOrganization.Role.MEMBER
            ],
            "projects_led": [
                link.project for link in project_links if link.role == ProjectOrganization.Role.LEAD
            ],
            "projects_partnered": [
                link.project
                for link in project_links
                if link.role == ProjectOrganization.Role.PARTNER
            ],
            "members": members,
            "members_capped": members is not None and len(members) == MEMBERS_SHOWN,
            "date_modified": organization.updated_at,
        },
    )
