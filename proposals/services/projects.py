"""A funded proposal enters the register of funded projects."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify

from proposals.models import CapabilityGap, Project, ProjectOrganization, Proposal


def _unique_project_slug(title: str) -> str:
    base = slugify(title)[:100] or "project"
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def project_from_proposal(*, proposal: Proposal) -> Project:
    """A funded proposal enters the register of funded projects, keeping the trace: its call,
    communities, gaps (now "being addressed by a project"), lead department and partners.

    A proposal is often written in one language; the project's two languages start with the
    text the proposer wrote, for the administrators to translate in the admin."""
    if hasattr(proposal, "project"):
        return proposal.project
    title = proposal.title_en or proposal.title_fr or proposal.title
    summary = proposal.summary_en or proposal.summary_fr or proposal.summary or title
    project = Project(
        title_en=proposal.title_en or title,
        title_fr=proposal.title_fr or title,
        summary_en=proposal.summary_en or summary,
        summary_fr=proposal.summary_fr or summary,
        slug=_unique_project_slug(title),
        year=timezone.localdate().year,
        call=proposal.call,
        proposal=proposal,
        portfolio_manager=proposal.portfolio_manager,
    )
    project.full_clean()
    project.save()
    project.communities.set(proposal.communities.all())
    gaps = list(proposal.gaps.all())
    project.gaps.set(gaps)
    CapabilityGap.objects.filter(pk__in=[gap.pk for gap in gaps]).exclude(
        status=CapabilityGap.Status.CLOSED
    ).update(status=CapabilityGap.Status.ADDRESSED_BY_PROJECT, updated_at=timezone.now())
    links = []
    if proposal.lead_department_id:
        links.append(
            ProjectOrganization(
                project=project,
                organization_id=proposal.lead_department_id,
                role=ProjectOrganization.Role.LEAD,
            )
        )
    for position, partner in enumerate(proposal.partners.exclude(pk=proposal.lead_department_id)):
        links.append(
            ProjectOrganization(
                project=project,
                organization=partner,
                role=ProjectOrganization.Role.PARTNER,
                position=position,
            )
        )
    ProjectOrganization.objects.bulk_create(links)
    return project
