"""The kinds of notification the portal sends, declared in one place.

A kind names its templates, its default delivery and whether members may turn it off. The
preferences page, the unsubscribe link and the digests are all driven by this registry, so a
feature that wants to email someone declares a kind in its own `<app>/kinds.py` with
`register(Kind(...))`, adds a set of templates under templates/<app>/email/, then calls
`notifications.services.notify`. The account and community kinds are declared here because
the notification layer was built around them.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Frequency


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    description: Promise
    # templates/<template>_subject.txt, _message.txt, _message.html and _summary.txt (one line,
    # used in digests).
    template: str
    default: str = Frequency.IMMEDIATE
    # Security and account emails cannot be turned off or delayed.
    locked: bool = False
    # Context keys holding secrets (links with keys, codes): erased once the email is sent.
    secret_context: bool = False


ACCOUNT = "account"
COMMUNITY_NEW_MEMBER = "community.new_member"
COMMUNITY_JOIN_REQUEST = "community.join_request"
COMMUNITY_JOIN_DECISION = "community.join_decision"
COMMUNITY_INVITATION = "community.invitation"

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            code=ACCOUNT,
            label=_("Account and security"),
            description=_(
                "Address confirmations, password resets and security notices. These are "
                "always sent immediately."
            ),
            template="",
            locked=True,
            secret_context=True,
        ),
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
    ]
}


def register(*new_kinds: Kind) -> None:
    """Add an app's kinds to the registry. Each app declares its kinds in `<app>/kinds.py`,
    which the notifications app imports once all apps are ready (autodiscovery)."""
    for kind in new_kinds:
        if kind.code in KINDS:
            raise ValueError(f"Notification kind {kind.code!r} is declared twice.")
        KINDS[kind.code] = kind


def get_kind(code: str) -> Kind:
    return KINDS[code]


def optional_kinds() -> list[Kind]:
    """The kinds a member may choose how (and whether) to receive."""
    return [kind for kind in KINDS.values() if not kind.locked]


# The code of an unsubscribe link that stops every kind a member may turn off (digests).
ALL_OPTIONAL = "*"


def unsubscribable(code: str) -> list[Kind]:
    """The kinds an unsubscribe link for `code` turns off: one optional kind, every optional
    kind for ALL_OPTIONAL, none for a locked or unknown code."""
    if code == ALL_OPTIONAL:
        return optional_kinds()
    kind = KINDS.get(code)
    return [kind] if kind is not None and not kind.locked else []
