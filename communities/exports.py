"""Roster CSV, the same for the admin's export action and the leads' download."""

from django.utils.translation import gettext as _

from cssp_portal.csv_export import csv_response


def roster_csv(memberships, filename: str):
    """`memberships` must come with community, user and user.organization selected."""
    return csv_response(
        filename,
        [
            _("Community"),
            _("Name"),
            _("Email address"),
            _("Organization"),
            _("Role"),
            _("State"),
            _("Joined"),
            _("Ended"),
        ],
        (
            [
                m.community.name,
                m.user.get_full_name(),
                # A deleted account's placeholder address is no one's: the history shows no address.
                "" if m.user.is_deleted else m.user.email,
                m.user.organization.name if m.user.organization else "",
                m.get_role_display(),
                m.get_state_display(),
                m.joined_at.date().isoformat() if m.joined_at else "",
                m.ended_at.date().isoformat() if m.ended_at else "",
            ]
            for m in memberships
        ),
    )
