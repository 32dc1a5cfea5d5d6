"""The emails about community membership (autodiscovered by the notifications app)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register, set_followed_communities
from notifications.models import Frequency

from .selectors import communities_followed_by

COMMUNITY_NEW_MEMBER = "community.new_member"
COMMUNITY_JOIN_REQUEST = "community.join_request"
COMMUNITY_JOIN_DECISION = "community.join_decision"
COMMUNITY_INVITATION = "community.invitation"

register(
    Kind(
        code=COMMUNITY_NEW_MEMBER,
        label=_("New members"),
        description=_("Someone joined a community you lead or follow as a portfolio manager."),
        template="communities/email/new_member",
        default=Frequency.DAILY,
    ),
    Kind(
        code=COMMUNITY_JOIN_REQUEST,
        label=_("Requests to join"),
        description=_("Someone asked to join a community you lead."),
        template="communities/email/join_request",
    ),
    Kind(
        code=COMMUNITY_JOIN_DECISION,
        label=_("Answers to my requests"),
        description=_("A lead approved or declined your request to join a community."),
        template="communities/email/join_decision",
    ),
    Kind(
        code=COMMUNITY_INVITATION,
        label=_("Invitations"),
        description=_("A lead invited you to join a community."),
        template="communities/email/invitation",
    ),
)

# The preferences page offers per-community choices for the communities a member belongs to or
# follows as portfolio manager.
set_followed_communities(communities_followed_by)
