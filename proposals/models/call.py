"""Calls for proposals."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .gap import CapabilityGap


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
