"""The program's notification kinds (autodiscovered by the notifications app)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register

PROPOSAL_MANAGED = "proposals.managed"
PROPOSAL_MINE = "proposals.mine"

register(
    Kind(
        code=PROPOSAL_MANAGED,
        label=_("Proposals I manage"),
        description=_(
            "A proposal assigned to you as portfolio manager was submitted or changed status."
        ),
        template="proposals/email/proposal_status",
    ),
    Kind(
        code=PROPOSAL_MINE,
        label=_("My proposals"),
        description=_("A proposal you wrote was submitted or changed status."),
        template="proposals/email/proposal_status",
    ),
)
