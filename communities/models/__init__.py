from .community import (  # noqa: F401
    Community,
    CommunityGroup,
    CommunityGroupObjectPermission,
    CommunityObjective,
    CommunityOrganization,
    CommunityQuerySet,
    CommunityUserObjectPermission,
    Invitation,
    Membership,
    Organization,
    _invitation_expiry,  # named by communities/migrations
    _invitation_token,
)
