"""Who belongs to a community and how they got there: memberships, invitations, and the
role groups that carry a role's permissions."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .community import Community


class Membership(models.Model):
    """A person's membership of a community, through its whole life.

    Rows are never deleted: leaving, removal and declined requests end a row, and joining again
    starts a new one, so the roster's history is the table itself. At most one row per person
    and community is current (invited, requested or active).
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO_LEAD = "co_lead", _("Co-lead")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        REMOVED = "removed", _("Removed")
        LEFT = "left", _("Left")

    CURRENT_STATES = (State.INVITED, State.REQUESTED, State.ACTIVE)
    LEAD_ROLES = (Role.LEAD, Role.CO_LEAD)
    # A soft limit: a lead is warned beyond it, never blocked.
    CORE_GROUP_SOFT_LIMIT = 12

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    message = models.TextField(_("message"), blank=True, help_text=_("Sent with a request."))
    decision_note = models.TextField(_("decision note"), blank=True)
    invitation = models.ForeignKey(
        "Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("invitation"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The core group: the 10-12 participants a lead invites to intimate working sessions inside
    # the broader community (CPSEN). A flag on the membership, set by a lead (membership_set_core).
    is_core = models.BooleanField(_("core group"), default=False)

    class Meta:
        ordering = ["community", "-created_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=Q(state__in=["invited", "requested", "active"]),
                name="communities_one_current_membership",
            ),
            models.CheckConstraint(
                condition=Q(state="active", joined_at__isnull=False) | ~Q(state="active"),
                name="communities_active_membership_has_joined_at",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["declined", "removed", "left"], ended_at__isnull=False)
                | Q(state__in=["invited", "requested", "active"]),
                name="communities_ended_membership_has_ended_at",
            ),
        ]
        indexes = [models.Index(fields=["community", "state", "role"])]

    def __str__(self):
        role, state = self.get_role_display(), self.get_state_display()
        return f"{self.user} — {self.community} ({role}, {state})"

    @property
    def is_current(self) -> bool:
        return self.state in self.CURRENT_STATES

    @property
    def is_lead(self) -> bool:
        return self.state == self.State.ACTIVE and self.role in self.LEAD_ROLES


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An emailed invitation to join a community, for a person with or without an account."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("community")
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    message = models.TextField(_("personal message"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "email"],
                condition=Q(state="pending"),
                name="communities_one_pending_invitation_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.community}"

    def get_absolute_url(self):
        return reverse("communities:invitation", args=[self.token])

    @property
    def is_usable(self) -> bool:
        return self.state == self.State.PENDING and self.expires_at > timezone.now()

    def renew(self) -> None:
        """Valid again for the full period, from now."""
        self.expires_at = _invitation_expiry()


class CommunityGroup(models.Model):
    """The auth group holding the object permissions of one role in one community.

    Permissions are granted to these groups, not to each person: membership services add and
    remove people, and a community's permission set is edited in one place.
    """

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="role_groups", verbose_name=_("community")
    )
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="community_role", verbose_name=_("group")
    )

    class Meta:
        verbose_name = _("community permission group")
        verbose_name_plural = _("community permission groups")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "role"], name="communities_group_per_role"
            ),
        ]

    def __str__(self):
        return self.group.name
