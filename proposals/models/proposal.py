from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cssp_portal.uploads import private_storage


class CapabilityGap(models.Model):
    """A risk, vulnerability, capability gap or recommended priority a community identified.

    Gaps are what the program traces: gap -> priority -> call for proposals -> funded project.
    """

    class Kind(models.TextChoices):
        RISK = "risk", _("Risk")
        VULNERABILITY = "vulnerability", _("Vulnerability")
        CAPABILITY_GAP = "capability_gap", _("Capability gap")
        PRIORITY = "priority", _("Recommended priority")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        PRIORITIZED = "prioritized", _("Prioritized")
        ADDRESSED_BY_CALL = "addressed_by_call", _("Addressed by a call for proposals")
        ADDRESSED_BY_PROJECT = "addressed_by_project", _("Being addressed by a project")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="gaps",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.IDENTIFIED
    )
    rank = models.PositiveIntegerField(
        _("rank"), null=True, blank=True, help_text=_("Order set by the leads; 1 comes first.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identified by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["community", models.F("rank").asc(nulls_last=True), "title"]
        verbose_name = _("gap or priority")
        verbose_name_plural = _("gaps and priorities")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "slug"], name="proposals_gap_slug_per_community"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "proposals:gap_detail", kwargs={"community": self.community.slug, "slug": self.slug}
        )


class GapComment(models.Model):
    """A member's contribution to the discussion of a gap or priority."""

    gap = models.ForeignKey(
        CapabilityGap, on_delete=models.CASCADE, related_name="comments", verbose_name=_("gap")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["gap", "created_at", "pk"]
        verbose_name = _("comment on a gap")
        verbose_name_plural = _("comments on gaps")

    def __str__(self):
        return f"{self.author} — {self.gap}"


class GapVote(models.Model):
    """One member's support for a gap: the register can be ordered by votes."""

    gap = models.ForeignKey(
        CapabilityGap, on_delete=models.CASCADE, related_name="votes", verbose_name=_("gap")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("vote for a gap")
        verbose_name_plural = _("votes for gaps")
        constraints = [
            models.UniqueConstraint(fields=["gap", "voter"], name="proposals_one_vote_per_gap"),
        ]

    def __str__(self):
        return f"{self.voter} → {self.gap}"


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.published().filter(opens_at__lte=moment, closes_at__gt=moment)


class Call(models.Model):
    """A call for proposals: the program's way of sourcing S&T solutions to priorities."""

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"))
    eligibility = models.TextField(_("eligibility"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    is_published = models.BooleanField(_("published"), default=False)
    communities = models.ManyToManyField(
        "communities.Community",
        related_name="calls",
        blank=True,
        verbose_name=_("communities addressed"),
    )
    priorities = models.ManyToManyField(
        CapabilityGap, related_name="calls", blank=True, verbose_name=_("priorities addressed")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="proposals_call_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:call_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call must close after it opens.")})

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment < self.closes_at


class Proposal(models.Model):
    """A government department's proposal to a call, drafted by a member acting for it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        RECOMMENDED = "recommended", _("Recommended")
        FUNDED = "funded", _("Funded")
        NOT_FUNDED = "not_funded", _("Not funded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call")
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    lead_department = models.ForeignKey(
        "communities.Organization",
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("lead government department"),
        null=True,
        blank=True,
    )
    partners = models.ManyToManyField(
        "communities.Organization",
        related_name="partner_proposals",
        blank=True,
        verbose_name=_("partner organizations"),
    )
    communities = models.ManyToManyField(
        "communities.Community",
        related_name="proposals",
        blank=True,
        verbose_name=_("communities concerned"),
    )
    gaps = models.ManyToManyField(
        CapabilityGap, related_name="proposals", blank=True, verbose_name=_("gaps addressed")
    )
    requested_funding = models.DecimalField(
        _("requested funding (CAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposer"),
    )
    portfolio_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_proposals",
        verbose_name=_("portfolio manager"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="proposals_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(requested_funding__isnull=True) | Q(requested_funding__gte=0),
                name="proposals_funding_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "portfolio_manager"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ProposalTransition(models.Model):
    """One step of a proposal's workflow: who moved it, from what, to what, and why."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("proposal")
    )
    from_status = models.CharField(
        _("previous status"), max_length=16, choices=Proposal.Status.choices
    )
    to_status = models.CharField(_("new status"), max_length=16, choices=Proposal.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        verbose_name = _("proposal status change")
        verbose_name_plural = _("proposal status changes")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def attachment_path(instance, filename):
    # A random name: the stored path reveals nothing and cannot be guessed. The member's own
    # (sanitized) name is kept in `original_name` for the download.
    import uuid

    folder = "calls" if instance._meta.model_name == "calldocument" else "proposals"
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}"


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("proposal")
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class CallDocument(models.Model):
    """A document published with a call (guide, forms, annexes), in one language or both.
    Stored like attachments (random name, private storage) and downloaded through a view that
    asks whether the call is visible."""

    class Language(models.TextChoices):
        BOTH = "both", _("English and French")
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="documents", verbose_name=_("call")
    )
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(
        _("language"), max_length=4, choices=Language.choices, default=Language.BOTH
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["call", "created_at"]
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")

    def __str__(self):
        return self.title


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
