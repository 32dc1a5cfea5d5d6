"""The kinds of notification the portal sends, declared in one place.

A kind names its templates, its default delivery and whether members may turn it off. The
preferences page, the unsubscribe link and the digests are all driven by this registry, so a
feature that wants to email someone declares a kind in its own `<app>/kinds.py` with
`register(Kind(...))`, adds a set of templates under templates/<app>/email/, then calls
`notifications.services.notify`. Only the account kind is declared here: the outbox itself
treats it apart (never delayed, never in the notification centre, its secrets erased once sent).

The preferences page also lets a member tune each kind per community, for the communities whose
news concerns them: which those are is the communities app's rule, which it hands over with
`set_followed_communities` (this app sits below it and imports nothing of it).
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
    ]
}


def register(*new_kinds: Kind) -> None:
    """Add an app's kinds to the registry. Each app declares its kinds in `<app>/kinds.py`,
    which the notifications app imports once all apps are ready (autodiscovery)."""
    for kind in new_kinds:
        if kind.code in KINDS:
            raise ValueError(f"Notification kind {kind.code!r} is declared twice.")
        KINDS[kind.code] = kind


def _no_communities(user):
    return []


_followed_communities = _no_communities


def set_followed_communities(selector) -> None:
    """Say which communities a member may tune notifications for (a function of the user that
    returns a queryset of communities): set by the communities app's kinds.py."""
    global _followed_communities
    _followed_communities = selector


def followed_communities(user):
    """The communities whose notifications `user` may tune one by one (preferences page)."""
    return _followed_communities(user)


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
