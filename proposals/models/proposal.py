"""A department's proposal to a call, and each step of its workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .call import Call
from .gap import CapabilityGap


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

    def missing_for_submission(self) -> list[str]:
        """What the proposal still lacks before it can be submitted (nothing: an empty list),
        each part named for the sentence "Before you submit, add: …"."""
        missing = []
        if not (self.title_en or self.title_fr):
            missing.append(gettext("a title"))
        if not (self.summary_en or self.summary_fr):
            missing.append(gettext("a summary"))
        if not (self.objectives_en or self.objectives_fr):
            missing.append(gettext("the objectives"))
        if self.lead_department_id is None:
            missing.append(gettext("the lead department"))
        if not self.communities.exists():
            missing.append(gettext("at least one community concerned"))
        if self.requested_funding is None:
            missing.append(gettext("the requested funding"))
        if not self.duration_months:
            missing.append(gettext("the duration"))
        return missing


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
