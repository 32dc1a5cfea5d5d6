"""The program's communities of practice: their pages in both languages, their lead and member
organizations, objectives, working groups and permission groups."""

from communities.models import Community, CommunityObjective, CommunityOrganization, Organization
from communities.services import community_ensure_groups

from .records import LoadReport, bilingual, create_if_absent


def load_communities(
    data: dict, report: LoadReport, *, organizations: dict[str, Organization]
) -> dict[str, Community]:
    """The communities by slug, existing or created, with their working groups; the links to
    organizations and the objectives are made only on the communities created."""
    communities: dict[str, Community] = {}
    for item in data["communities"]:
        community, created = create_if_absent(
            Community,
            report,
            "communities",
            {"slug": item["slug"]},
            {
                **bilingual(item, "name", "summary", "objectives_intro", "member_description"),
                "visibility": Community.Visibility.PUBLIC,
                "join_policy": Community.JoinPolicy.REQUEST,
                "working_languages": Community.WorkingLanguages.BOTH,
            },
        )
        communities[item["slug"]] = community
        community_ensure_groups(community=community)
        if created:
            _link_community(community, item, organizations)
        for group in item.get("working_groups", []):
            working_group, _ = create_if_absent(
                Community,
                report,
                "working groups",
                {"slug": group["slug"]},
                {**bilingual(group, "name", "summary"), "parent": community},
            )
            community_ensure_groups(community=working_group)
    return communities


def _link_community(community: Community, item: dict, organizations: dict) -> None:
    links = [(lead["org"], lead["role"]) for lead in item.get("leads", [])]
    links += [
        (key, CommunityOrganization.Role.MEMBER) for key in item.get("member_organizations", [])
    ]
    CommunityOrganization.objects.bulk_create(
        CommunityOrganization(
            community=community, organization=organizations[key], role=role, position=position
        )
        for position, (key, role) in enumerate(links)
    )
    CommunityObjective.objects.bulk_create(
        CommunityObjective(
            community=community, position=position, text_en=objective["en"], text_fr=objective["fr"]
        )
        for position, objective in enumerate(item.get("objectives", []), start=1)
    )
