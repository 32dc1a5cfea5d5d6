"""What every knowledge page shares: a service's ValidationError shown on the form, and the
context of a community's announcements, discussions and library sections."""

from django.core.exceptions import ValidationError

from communities.policies import can_manage_community
from knowledge import policies


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def community_context(request, community, section: str) -> dict:
    return {
        "community": community,
        "section": section,
        "can_read_discussions": policies.can_read_discussions(request.user, community),
        "can_manage": can_manage_community(request.user, community),
    }
