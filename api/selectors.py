"""The rows of each API collection and open-data file, as the feature apps' policies let the
reader see them (communities_visible_to, events_visible_to, calls_visible_to...): the API
decides nothing itself. Each reads in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from communities.access import Standing
from communities.models import CommunityOrganization, Organization
from communities.policies import communities_visible_to
from events.policies import events_visible_to
from proposals.models import ProjectOrganization
from proposals.selectors import calls_visible_to, project_register


def _visible_communities(standing: Standing, to_attr: str, lookup: str) -> Prefetch:
    return Prefetch(
        lookup,
        queryset=communities_visible_to(standing).only("pk", "slug").order_by("slug"),
        to_attr=to_attr,
    )


def api_communities(standing: Standing) -> QuerySet:
    leads = CommunityOrganization.objects.filter(
        role__in=[CommunityOrganization.Role.LEAD, CommunityOrganization.Role.CO_LEAD]
    ).select_related("organization")
    return (
        communities_visible_to(standing)
        .select_related("parent")
        .prefetch_related(Prefetch("organization_links", queryset=leads, to_attr="lead_links"))
        .order_by("slug")
    )


def api_organizations(standing: Standing) -> QuerySet:
    """Organizations are the program's public list of departments and partners (anyone sees
    them, as in the directory's filter); which communities they belong to is not shown here."""
    return Organization.objects.select_related("parent").order_by("slug")


def api_events(standing: Standing) -> QuerySet:
    return (
        events_visible_to(standing)
        .select_related("community")
        .prefetch_related(_visible_communities(standing, "visible_co_hosts", "co_hosts"))
        .order_by("-start", "pk")
    )


def api_calls(standing: Standing) -> QuerySet:
    return (
        calls_visible_to(standing)
        .prefetch_related(_visible_communities(standing, "visible_communities", "communities"))
        .order_by("-opens_at", "pk")
    )


def api_projects(standing: Standing) -> QuerySet:
    """The register of funded projects is public (proposals.policies.can_view_project); its
    members-only communities are named only to those who may see them."""
    links = ProjectOrganization.objects.select_related("organization").order_by("position", "pk")
    return (
        project_register()
        .prefetch_related(None)
        .select_related("call")
        .prefetch_related(
            Prefetch("organization_links", queryset=links),
            _visible_communities(standing, "visible_communities", "communities"),
        )
        .order_by("-year", "slug")
    )
