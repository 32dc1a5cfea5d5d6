"""The emails about vetting (autodiscovered by the notifications app)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register

MEMBER_NEW_GUEST = "members.new_guest"
MEMBER_APPROVED = "members.approved"

register(
    Kind(
        code=MEMBER_NEW_GUEST,
        label=_("Guests to review"),
        description=_(
            "Someone registered with an address outside the trusted domains and waits for an "
            "administrator's review (administrators only)."
        ),
        template="members/email/new_guest",
        # A duty of the administrators, not a subscription: not on the preferences page.
        locked=True,
    ),
    Kind(
        code=MEMBER_APPROVED,
        label=_("Account approval"),
        description=_("An administrator approved your account: you are now a vetted member."),
        template="members/email/approved",
        locked=True,
    ),
)

MEMBER_ACCOUNT_DELETED = "members.account_deleted"

register(
    Kind(
        code=MEMBER_ACCOUNT_DELETED,
        label=_("Account deletion"),
        description=_("Confirms that your account was deleted, as you asked."),
        template="members/email/account_deleted",
        locked=True,
        # Sent to an address the portal no longer holds: the name in its context goes once sent.
        secret_context=True,
    ),
)
