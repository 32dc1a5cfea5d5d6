"""The communities app's models, by sub-domain."""

from .community import (
    Community,
    CommunityGroupObjectPermission,
    CommunityObjective,
    CommunityOrganization,
    CommunityQuerySet,
    CommunityUserObjectPermission,
)
from .membership import (
    CommunityGroup,
    Invitation,
    Membership,
    _invitation_expiry,  # named by communities/migrations
    _invitation_token,
)
from .organization import Organization

__all__ = [
    "Community",
    "CommunityGroup",
    "CommunityGroupObjectPermission",
    "CommunityObjective",
    "CommunityOrganization",
    "CommunityQuerySet",
    "CommunityUserObjectPermission",
    "Invitation",
    "Membership",
    "Organization",
    "_invitation_expiry",
    "_invitation_token",
]
