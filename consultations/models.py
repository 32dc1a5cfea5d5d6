"""Consultations: a lead (or program staff) asks a community's members, its core group or all
vetted members to answer questions or comment on the sections of a draft, between two dates;
the answers are read by the owner, exported, and summarized in a published "what we heard"."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cssp_portal.uploads import private_storage


class ConsultationQuerySet(models.QuerySet):
    def open_now(self):
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)

    def published(self):
        return self.filter(published_at__isnull=False)


def document_upload_to(instance, filename):
    # A random name: the original one is given back only by the permission-checked download.
    return f"consultations/{uuid.uuid4().hex}"


class Consultation(models.Model):
    class Audience(models.TextChoices):
        COMMUNITY = "community", _("The members of the community")
        CORE = "core", _("The core group of the community")
        VETTED = "vetted", _("All vetted members of the portal")

    class ItemKind(models.TextChoices):
        QUESTIONS = "questions", _("Questions to answer")
        SECTIONS = "sections", _("Sections of the draft to comment on")

    class Status(models.TextChoices):
        # A consultation is feminine in French: its own context, apart from calls and events.
        SCHEDULED = "scheduled", pgettext_lazy("consultation status", "Scheduled")
        OPEN = "open", pgettext_lazy("consultation status", "Open")
        CLOSED = "closed", pgettext_lazy("consultation status", "Closed")
        PUBLISHED = "published", pgettext_lazy("consultation status", "What we heard published")

    communities = models.ManyToManyField(
        "communities.Community", related_name="consultations", verbose_name=_("communities")
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), help_text=_("What is being consulted on, and why."))
    item_kind = models.CharField(
        _("what members respond to"),
        max_length=16,
        choices=ItemKind.choices,
        default=ItemKind.QUESTIONS,
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.COMMUNITY
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    document = models.FileField(
        _("draft document"),
        upload_to=document_upload_to,
        storage=private_storage,
        max_length=255,
        blank=True,
    )
    document_name = models.CharField(_("file name"), max_length=150, blank=True)
    document_type = models.CharField(_("type"), max_length=100, blank=True)
    summary = models.TextField(_("what we heard"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    published_at = models.DateTimeField(_("summary published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations_created",
        verbose_name=_("opened by"),
    )
    # Guards of the periodic notices: each is sent once (consultations.services).
    opening_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultations_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing date must come after the opening.")})

    @property
    def ends_at(self):
        """When answers stop: the closing date, or the moment the owner closed it early."""
        return self.closed_at or self.closes_at

    @property
    def status(self) -> str:
        now = timezone.now()
        if self.published_at:
            return self.Status.PUBLISHED
        if self.closed_at or self.closes_at <= now:
            return self.Status.CLOSED
        if self.opens_at > now:
            return self.Status.SCHEDULED
        return self.Status.OPEN

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class Question(models.Model):
    """One question to answer, or one section of the draft to comment on."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("consultation"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("question or section"))

    class Meta:
        ordering = ["consultation", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class Response(models.Model):
    """One person's answers to a consultation: a draft until submitted, changeable until the
    consultation closes."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("consultation"),
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_responses",
        verbose_name=_("respondent"),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["consultation", "-submitted_at", "pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent"], name="consultations_one_response_each"
            ),
        ]

    def __str__(self):
        return f"{self.respondent} → {self.consultation}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="consultations_one_answer_per_question"
            ),
        ]

    def __str__(self):
        return self.text[:80]
