from django import template

from proposals.models import Proposal

register = template.Library()


@register.filter
def proposal_status(code):
    """The label of a proposal status code, in the active language (emails store codes)."""
    try:
        return Proposal.Status(code).label
    except ValueError:
        return code or ""
