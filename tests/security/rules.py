"""The access decision for every URL of the project, as the policies make it.

Each rule names the roles (relative to the private community of tests/security/world.py) that
the policy lets through, and how to fill the URL with that community's objects. Everyone else
must be refused (403, 404, 405 or sent to sign in) and change nothing. A URL without a rule
fails tests/security/test_url_access.py: a new view needs a policy decision written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tests.security.roles import ROLES

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
# "Signed-in members": guests (self-registered, not yet vetted) are never counted among them.
VETTED = SIGNED_IN - {"guest"}
VIEWERS = frozenset({"observer", "member", "co_lead", "lead", "portfolio_manager", "admin"})
PARTICIPANTS = frozenset({"member", "co_lead", "lead", "admin"})
MANAGERS = frozenset({"co_lead", "lead", "admin"})
PROGRAM_STAFF = frozenset({"portfolio_manager", "admin"})
ADMINS = frozenset({"admin"})
NOBODY = frozenset()

REFUSED = frozenset({403, 404, 405})


def _none(world) -> dict:
    return {}


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    args: Callable = _none
    data: Callable = _none
    # Statuses that also mean "refused" for this URL (e.g. 400/410 for a bad token).
    refused: frozenset = field(default=REFUSED)
    # A page (200) that only explains the refusal counts as refused when it contains this text.
    refusal_text: str = ""
    why: str = ""


def public(why=""):
    return Rule(EVERYONE, why=why)


def signed_in(why=""):
    return Rule(SIGNED_IN, why=why)


def private(slug_name="slug"):
    return lambda world: {slug_name: world.private.slug}


def bad_token(name="token"):
    """A token nobody was given: nobody may reach anything with it."""
    return Rule(
        NOBODY,
        args=lambda world: {name: "not-a-real-token", "key": "not-a-real-key", "uidb36": "1"},
        refused=REFUSED | {400, 410},
        why="secret link: a wrong token reaches nothing",
    )


RULES: dict[str, Rule] = {
    # --- the portal ---
    "healthz": public("monitoring probe, no private data"),
    "healthz_ready": public("load balancer probe, no private data"),
    "home": public(),
    # --- allauth: public forms, or the signed-in person's own account ---
    "account_login": public(),
    "account_logout": public(),
    "account_inactive": public(),
    "account_signup": public(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key_done": public(),
    "account_email_verification_sent": public(),
    "account_confirm_login_code": public("needs a code sent by email"),
    # allauth explains a wrong key on a page of its own (200) and changes nothing.
    "account_confirm_email": replace(bad_token(), refusal_text="expired or is invalid"),
    "account_reset_password_from_key": replace(bad_token(), refusal_text="was invalid"),
    "account_reauthenticate": signed_in(),
    "account_email": signed_in(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in(),
    "mfa_index": signed_in(),
    "mfa_authenticate": public("the second step of signing in"),
    "mfa_reauthenticate": signed_in(),
    "mfa_activate_totp": signed_in(),
    "mfa_deactivate_totp": signed_in(),
    "mfa_view_recovery_codes": signed_in(),
    "mfa_generate_recovery_codes": signed_in(),
    "mfa_download_recovery_codes": signed_in(),
    # --- communities ---
    "communities:list": public(),
    "communities:mine": signed_in(),
    "communities:invitation": bad_token(),
    "communities:detail": Rule(VIEWERS, args=private()),
    "communities:join": Rule(VIEWERS, args=private(), why="members get 'already a member'"),
    "communities:leave": Rule(VIEWERS, args=private()),
    "communities:edit": Rule(
        MANAGERS,
        args=private(),
        data=lambda w: {
            "summary_en": "Taken over",
            "summary_fr": "Pris",
            "join_policy": "open",
            "working_languages": "both",
        },
    ),
    "communities:organizations": Rule(
        MANAGERS,
        args=private(),
        data=lambda w: {"organization": w.organization_link.organization_id},
    ),
    "communities:organization_remove": Rule(
        MANAGERS, args=lambda w: {"slug": w.private.slug, "pk": w.organization_link.pk}
    ),
    "communities:roster": Rule(MANAGERS, args=private()),
    "communities:roster_export": Rule(MANAGERS, args=private()),
    "communities:roster_invite": Rule(
        MANAGERS,
        args=private(),
        data=lambda w: {"emails": "intruder@example.ca", "role": "member", "language": "en"},
    ),
    "communities:roster_decide": Rule(
        MANAGERS,
        args=lambda w: {"slug": w.private.slug, "pk": w.request.pk},
        data=lambda w: {"decision": "approve"},
    ),
    "communities:roster_role": Rule(
        MANAGERS,
        args=lambda w: {"slug": w.private.slug, "pk": w.author_membership.pk},
        data=lambda w: {"role": "lead"},
    ),
    "communities:roster_remove": Rule(
        MANAGERS, args=lambda w: {"slug": w.private.slug, "pk": w.author_membership.pk}
    ),
    "communities:roster_core": Rule(
        MANAGERS,
        args=lambda w: {"slug": w.private.slug, "pk": w.author_membership.pk},
        data=lambda w: {"core": "1"},
    ),
    "communities:roster_revoke": Rule(
        MANAGERS, args=lambda w: {"slug": w.private.slug, "pk": w.invitation.pk}
    ),
    # --- members ---
    "members:directory": Rule(VETTED, why="guests get a 403 page saying how to be vetted"),
    "members:access": signed_in("one's own access"),
    "members:me": signed_in(),
    "members:edit": signed_in("one's own profile only"),
    # Personal data (Privacy Act): no id in these addresses, each person reaches only their own.
    "members:personal_data": signed_in("one's own personal data"),
    "members:personal_data_download": Rule(
        SIGNED_IN, args=lambda w: {"fmt": "json"}, why="one's own data, POST only"
    ),
    "members:delete": signed_in("one's own account; refused to leads until they hand over"),
    "members:profile": Rule(ADMINS, args=lambda w: {"pk": w.unlisted.pk}, why="unlisted profile"),
    # --- notifications ---
    "notifications:preferences": signed_in("one's own preferences"),
    "notifications:unsubscribe": bad_token(),
}
