"""Funded projects and the organizations that lead them or take part."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .call import Call
from .gap import CapabilityGap
from .proposal import Proposal


class Project(models.Model):
    """A funded S&T project, led by government departments with partners."""

    class Status(models.TextChoices):
        # A project is masculine in French (« En cours »); communities and memberships are not.
        ACTIVE = "active", pgettext_lazy("project status", "Active")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"))
    outcomes = models.TextField(_("outcomes"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    organizations = models.ManyToManyField(
        "communities.Organization",
        through="ProjectOrganization",
        related_name="projects",
        blank=True,
        verbose_name=_("organizations"),
    )
    communities = models.ManyToManyField(
        "communities.Community",
        related_name="projects",
        blank=True,
        verbose_name=_("communities"),
    )
    gaps = models.ManyToManyField(
        CapabilityGap, related_name="projects", blank=True, verbose_name=_("gaps addressed")
    )
    call = models.ForeignKey(
        Call,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("call for proposals"),
    )
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project",
        verbose_name=_("proposal"),
    )
    events = models.ManyToManyField(
        "events.Event", related_name="projects", blank=True, verbose_name=_("related events")
    )
    portfolio_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_projects",
        verbose_name=_("portfolio manager"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("funded project")
        verbose_name_plural = _("funded projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="proposals_project_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:project_detail", kwargs={"slug": self.slug})


class ProjectOrganization(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead department")
        PARTNER = "partner", _("Partner")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="organization_links",
        verbose_name=_("project"),
    )
    organization = models.ForeignKey(
        "communities.Organization",
        on_delete=models.CASCADE,
        related_name="project_links",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["project", "role", "position"]
        verbose_name = _("project organization")
        verbose_name_plural = _("project organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="proposals_org_once_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()}"
