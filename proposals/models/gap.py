"""The gaps and priorities communities identify, and members' comments and votes on them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
