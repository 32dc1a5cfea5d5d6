"""CSV exports of proposals and projects (administrators and portfolio managers), in the
language of the page they were asked from."""

from django.utils.translation import gettext as _

from cssp_portal.csv_export import csv_response

from .models import ProjectOrganization


def proposals_csv(proposals):
    """`proposals` must come with call, lead_department, proposer, portfolio_manager selected
    and communities prefetched (selectors.proposals_for_staff)."""
    return csv_response(
        "proposals.csv",
        [
            _("Title"),
            _("Call for proposals"),
            _("Status"),
            _("Lead department"),
            _("Communities"),
            _("Proposer"),
            _("Portfolio manager"),
            _("Requested funding (CAD)"),
            _("Duration (months)"),
            _("Submitted"),
        ],
        (
            [
                p.title,
                p.call.title,
                p.get_status_display(),
                p.lead_department.name if p.lead_department else "",
                "; ".join(c.name for c in p.communities.all()),
                p.proposer.get_full_name() or p.proposer.email,
                (p.portfolio_manager.get_full_name() or p.portfolio_manager.email)
                if p.portfolio_manager
                else "",
                p.requested_funding if p.requested_funding is not None else "",
                p.duration_months or "",
                p.submitted_at.date().isoformat() if p.submitted_at else "",
            ]
            for p in proposals
        ),
    )


def projects_csv(projects):
    """`projects` must come with organization_links__organization and communities
    prefetched (selectors.project_register)."""

    def names(project, role):
        return "; ".join(
            link.organization.name for link in project.organization_links.all() if link.role == role
        )

    return csv_response(
        "projects.csv",
        [
            _("Title"),
            _("Year"),
            _("Status"),
            _("Lead departments"),
            _("Partners"),
            _("Communities"),
        ],
        (
            [
                p.title,
                p.year,
                p.get_status_display(),
                names(p, ProjectOrganization.Role.LEAD),
                names(p, ProjectOrganization.Role.PARTNER),
                "; ".join(c.name for c in p.communities.all()),
            ]
            for p in projects
        ),
    )
