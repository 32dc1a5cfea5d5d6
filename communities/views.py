from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from events.selectors import events_visible_to
from proposals.models import CapabilityGap, Project

from . import policies
from .models import Community, CommunityOrganization
from .selectors import communities_visible_to, community_directory


def community_list(request):
    return render(
        request,
        "communities/community_list.html",
        {"communities": community_directory(request.user)},
    )


def community_detail(request, slug):
    community = get_object_or_404(
        Community.objects.select_related("parent").prefetch_related(
            "objectives",
            Prefetch(
                "organization_links",
                queryset=CommunityOrganization.objects.select_related("organization"),
            ),
            "portfolio_managers",
        ),
        slug=slug,
    )
    # A members-only community does not exist for outsiders.
    if not policies.can_view_community(request.user, community):
        raise Http404
    links = community.organization_links.all()
    context = {
        "community": community,
        "lead_links": [link for link in links if link.role != CommunityOrganization.Role.MEMBER],
        "member_links": [link for link in links if link.role == CommunityOrganization.Role.MEMBER],
        "working_groups": communities_visible_to(request.user).filter(parent=community),
        "upcoming_events": events_visible_to(request.user)
        .upcoming()
        .filter(community=community)[:5],
        "past_events": events_visible_to(request.user).past().filter(community=community)[:5],
        "projects": Project.objects.filter(communities=community),
        "gaps": CapabilityGap.objects.filter(community=community),
        "can_manage": policies.can_manage_community(request.user, community),
        "date_modified": community.updated_at,
    }
    return render(request, "communities/community_detail.html", context)
