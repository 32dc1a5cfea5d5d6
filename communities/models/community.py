import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class Organization(models.Model):
    """A department, agency, government, municipality, university, company, association or
    international partner that takes part in the program."""

    class Sector(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        PROVINCIAL_TERRITORIAL = "provincial_territorial", _("Provincial or territorial")
        MUNICIPAL = "municipal", _("Municipal")
        INDIGENOUS = "indigenous", _("Indigenous")
        ACADEMIC = "academic", _("Academic")
        INDUSTRY = "industry", _("Industry")
        NON_PROFIT = "non_profit", _("Non-profit")
        INTERNATIONAL = "international", _("International")

    class Jurisdiction(models.TextChoices):
        CANADA = "CA", _("Canada (federal or national)")
        AB = "AB", _("Alberta")
        BC = "BC", _("British Columbia")
        MB = "MB", _("Manitoba")
        NB = "NB", _("New Brunswick")
        NL = "NL", _("Newfoundland and Labrador")
        NS = "NS", _("Nova Scotia")
        NT = "NT", _("Northwest Territories")
        NU = "NU", _("Nunavut")
        ON = "ON", _("Ontario")
        PE = "PE", _("Prince Edward Island")
        QC = "QC", _("Quebec")
        SK = "SK", _("Saskatchewan")
        YT = "YT", _("Yukon")
        INTERNATIONAL = "INTL", _("International")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=4, choices=Jurisdiction.choices, default=Jurisdiction.CANADA
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
    )
    former_names = models.TextField(
        _("former names"), blank=True, help_text=_("One per line, e.g. names before a renaming.")
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class CommunityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Community.Status.ACTIVE)

    def top_level(self):
        return self.filter(parent__isnull=True)


class Community(models.Model):
    """A community of practice (or one of its working groups, when it has a parent)."""

    class Visibility(models.TextChoices):
        # « Publique »: a community is feminine in French; an event is not (events.Event).
        PUBLIC = "public", pgettext_lazy("community visibility", "Public")
        MEMBERS = "members", _("Members only")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone signed in may join")
        REQUEST = "request", _("On request: a lead approves")
        INVITATION = "invitation", _("By invitation only")

    class WorkingLanguages(models.TextChoices):
        BOTH = "both", _("English and French")
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        help_text=_("Set for a sub-community or working group."),
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences for listings."))
    objectives_intro = models.TextField(
        _("objectives introduction"),
        blank=True,
        help_text=_(
            "E.g. “… contributes knowledge and expertise to support advancements in "
            "Canada’s ability to:”"
        ),
    )
    member_description = models.TextField(_("who the members are"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("join policy"), max_length=16, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    working_languages = models.CharField(
        _("working languages"),
        max_length=8,
        choices=WorkingLanguages.choices,
        default=WorkingLanguages.BOTH,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    organizations = models.ManyToManyField(
        Organization,
        through="CommunityOrganization",
        verbose_name=_("organizations"),
        related_name="communities",
        blank=True,
    )
    portfolio_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portfolio managers"),
        related_name="managed_portfolios",
        blank=True,
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    notify_portfolio_managers_of_new_members = models.BooleanField(
        _("tell the portfolio managers about each new member"), default=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")
        permissions = [
            ("participate_in_community", _("Can take part in the community (post, register)")),
            ("manage_community", _("Can manage the community page and its roster")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="communities_community_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A community cannot be its own parent.")})
        if self.parent and self.parent.parent_id:
            raise ValidationError(
                {"parent": _("Working groups belong to a community, not to another working group.")}
            )

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class CommunityObjective(models.Model):
    """One item of the ordered "contributes to Canada's ability to ..." list."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("community")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("objective"))

    class Meta:
        ordering = ["community", "position", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.text


class CommunityOrganization(models.Model):
    """An organization's part in a community: lead, co-lead or member."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO_LEAD = "co_lead", _("Co-lead")
        MEMBER = "member", _("Member organization")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="organization_links",
        verbose_name=_("community"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="community_links",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["community", "position", "organization__name"]
        verbose_name = _("community organization")
        verbose_name_plural = _("community organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "organization"], name="communities_org_once_per_community"
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()}"


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


class CommunityUserObjectPermission(UserObjectPermissionBase):
    """guardian: direct foreign key instead of the generic (varchar-joined) table."""

    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)


class CommunityGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)
