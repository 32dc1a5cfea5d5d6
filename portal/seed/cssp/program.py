"""The program's side of the data: the communities' gaps and priorities, the calls for proposals
(with the priorities they address) and the funded projects (with their lead and partner
organizations)."""

from communities.models import Community, Organization
from proposals.models import Call, CapabilityGap, Project, ProjectOrganization

from .records import LoadReport, aware, bilingual, create_if_absent


def load_gaps(
    data: dict, report: LoadReport, *, communities: dict[str, Community]
) -> dict[str, CapabilityGap]:
    """The gaps by key, existing or created."""
    gaps: dict[str, CapabilityGap] = {}
    for gap in data.get("gaps", []):
        community = communities[gap["community"]]
        gaps[gap["key"]], _ = create_if_absent(
            CapabilityGap,
            report,
            "gaps",
            {"community": community, "slug": gap["key"]},
            {
                **bilingual(gap, "title", "description"),
                "kind": gap["kind"],
                "status": gap["status"],
            },
        )
    return gaps


def load_calls(
    data: dict,
    report: LoadReport,
    *,
    communities: dict[str, Community],
    gaps: dict[str, CapabilityGap],
) -> None:
    for call in data.get("calls", []):
        instance, created = create_if_absent(
            Call,
            report,
            "calls",
            {"slug": call["slug"]},
            {
                **bilingual(call, "title", "description", "eligibility"),
                "year": call["year"],
                "opens_at": aware(call["opens_at"], call["timezone"]),
                "closes_at": aware(call["closes_at"], call["timezone"]),
                "is_published": True,
            },
        )
        if created:
            instance.communities.set([communities[s] for s in call.get("communities", [])])
            instance.priorities.set([gaps[k] for k in call.get("priorities", [])])


def load_projects(
    data: dict,
    report: LoadReport,
    *,
    communities: dict[str, Community],
    organizations: dict[str, Organization],
    gaps: dict[str, CapabilityGap],
) -> None:
    for project in data.get("projects", []):
        instance, created = create_if_absent(
            Project,
            report,
            "projects",
            {"slug": project["slug"]},
            {
                **bilingual(project, "title", "summary", "outcomes"),
                "year": project["year"],
                "status": project["status"],
            },
        )
        if created:
            links = [(key, ProjectOrganization.Role.LEAD) for key in project["lead_organizations"]]
            links += [
                (key, ProjectOrganization.Role.PARTNER)
                for key in project.get("partner_organizations", [])
            ]
            ProjectOrganization.objects.bulk_create(
                ProjectOrganization(
                    project=instance, organization=organizations[key], role=role, position=position
                )
                for position, (key, role) in enumerate(links)
            )
            instance.communities.set([communities[s] for s in project.get("communities", [])])
            instance.gaps.set([gaps[k] for k in project.get("gaps", [])])
