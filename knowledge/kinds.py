"""The notifications of knowledge sharing (see notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.models import Frequency

REPLY = "knowledge.reply"
MENTION = "knowledge.mention"
RESOURCE = "knowledge.resource"
ANNOUNCEMENT = "knowledge.announcement"
REPORT = "knowledge.report"

# How many characters of a message or an announcement a notification quotes.
EXCERPT = 300

register(
    Kind(
        code=ANNOUNCEMENT,
        label=_("Announcements"),
        description=_("News the leads post to your communities."),
        template="knowledge/email/announcement",
        default=Frequency.DAILY,
    ),
    Kind(
        code=REPLY,
        label=_("Replies in discussions I follow"),
        description=_("New messages in discussions you started, answered or chose to follow."),
        template="knowledge/email/reply",
    ),
    Kind(
        code=MENTION,
        label=_("Mentions of me"),
        description=_("Someone mentioned you in a discussion."),
        template="knowledge/email/mention",
    ),
    Kind(
        code=RESOURCE,
        label=_("New documents in folders I follow"),
        description=_("Resources and new versions added to library folders you follow."),
        template="knowledge/email/resource",
        default=Frequency.DAILY,
    ),
    Kind(
        code=REPORT,
        label=_("Reported messages"),
        description=_("A member reported a message in a community you lead."),
        template="knowledge/email/report",
    ),
)
