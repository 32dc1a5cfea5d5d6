from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .organization import Organization


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


class CommunityUserObjectPermission(UserObjectPermissionBase):
    """guardian: direct foreign key instead of the generic (varchar-joined) table."""

    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)


class CommunityGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)
