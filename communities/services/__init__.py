"""Writes with consequences on communities: memberships, invitations and the community page.

Object permissions are granted and revoked here and nowhere else (see membership.py).
"""

from .invitations import (
    invitation_accept,
    invitation_decline,
    invitation_revoke,
    invitations_send,
)
from .membership import (
    PORTFOLIO_MANAGER_PERMISSIONS,
    PORTFOLIO_MANAGERS_GROUP,
    ROLE_PERMISSIONS,
    community_ensure_groups,
    membership_add_active,
    membership_announce,
    membership_change_role,
    membership_decide,
    membership_join,
    membership_leave,
    membership_remove,
    membership_set_core,
    membership_sync_access,
    portfolio_managers_group,
)
from .page import (
    PAGE_FIELDS,
    community_organization_add,
    community_organization_remove,
    community_page_update,
)

__all__ = [
    "PAGE_FIELDS",
    "PORTFOLIO_MANAGERS_GROUP",
    "PORTFOLIO_MANAGER_PERMISSIONS",
    "ROLE_PERMISSIONS",
    "community_ensure_groups",
    "community_organization_add",
    "community_organization_remove",
    "community_page_update",
    "invitation_accept",
    "invitation_decline",
    "invitation_revoke",
    "invitations_send",
    "membership_add_active",
    "membership_announce",
    "membership_change_role",
    "membership_decide",
    "membership_join",
    "membership_leave",
    "membership_remove",
    "membership_set_core",
    "membership_sync_access",
    "portfolio_managers_group",
]
