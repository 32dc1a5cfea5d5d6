"""The notification outbox.

Every email the portal sends is first a row here, written in the same transaction as the change
that causes it. Celery only carries ids: if Redis or the workers are down, the rows wait and the
periodic sweep queues them again.

An attempt is recorded before the email goes out: the row becomes "sending" with the claim of
the delivering process (a PostgreSQL advisory lock that process holds while it sends), and only
the server's acceptance turns it into "sent". A process that dies at any instant leaves either a
pending row or a "sending" row whose claim nobody holds any more; both are sent again. The one
case that sends twice is a death between the server's "250" and the row's update; both copies
carry the same Message-ID (receivers drop the second), and the row is flagged as uncertain.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cssp_portal.languages import Language


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    OFF = "off", _("Never")


DIGEST_FREQUENCIES = (Frequency.DAILY, Frequency.WEEKLY)


class DeliveryState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("email state", "Pending")
    SENDING = "sending", pgettext_lazy("email state", "Sending")
    SENT = "sent", pgettext_lazy("email state", "Sent")
    FAILED = "failed", pgettext_lazy("email state", "Failed")
    SUPPRESSED = "suppressed", pgettext_lazy("email state", "Not sent (turned off)")


class Delivery(models.Model):
    """What a notification and a digest share: one email, its attempts and their outcome."""

    state = models.CharField(
        _("state"),
        max_length=12,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # When the next attempt may start: the sweep queues pending rows that are due.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # When the row was last handed to Celery; rows whose task was lost are queued again.
    enqueued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The attempt in flight (state "sending"): the key of the advisory lock its process holds
    # while it sends, and when it started. A claim whose lock is free belongs to a dead process.
    claim = models.BigIntegerField(_("claim of the attempt in flight"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    # Attempts whose process died mid-send: the server may or may not have accepted the email,
    # so the recipient may have received it twice (with the same Message-ID).
    interrupted = models.PositiveSmallIntegerField(_("interrupted attempts"), default=0)

    class Meta:
        abstract = True

    @property
    def outcome_uncertain(self) -> bool:
        return self.interrupted > 0


class Digest(Delivery):
    """One daily or weekly email grouping a member's pending notifications of that frequency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notification_digests",
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=12,
        choices=[(f.value, f.label) for f in DIGEST_FREQUENCIES],
    )
    # The scheduled moment this digest was due (the member's chosen hour); one digest per slot.
    period_end = models.DateTimeField(_("due at"))

    class Meta:
        ordering = ["-period_end"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "frequency", "period_end"], name="digest_one_per_slot"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="digest_due_idx"),
            models.Index(
                fields=["claimed_at"], condition=Q(state="sending"), name="digest_sending_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} – {self.recipient} – {self.period_end:%Y-%m-%d}"


class Notification(Delivery):
    """One email to one person about one thing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    # Members are recipients; a few account emails go to addresses without an account yet.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("email address"))
    # Used only when there is no recipient account (whose preferred language wins).
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    about_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    context = models.JSONField(_("context"), default=dict, blank=True)
    # Producers pass a key naming the event (e.g. "membership:12:active") so that doing the same
    # thing twice never notifies the same person twice.
    key = models.CharField(_("key"), max_length=200, blank=True)
    frequency = models.CharField(
        _("delivery"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    digest = models.ForeignKey(
        Digest,
        verbose_name=_("digest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    # When the member marked it read in the notification centre (null: unread). Independent of
    # the email: a notification turned off by email preference still shows there.
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "email"],
                condition=~Q(key=""),
                name="notification_once_per_key_and_address",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending", frequency="immediate"),
                name="notification_due_idx",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(state="sending"),
                name="notification_sending_idx",
            ),
            models.Index(
                fields=["recipient", "frequency"],
                condition=Q(
                    state="pending", digest__isnull=True, frequency__in=["daily", "weekly"]
                ),
                name="notification_digest_idx",
            ),
            # The notification centre: a member's items, newest first, and the header's count
            # of unread ones (account emails, which carry secrets, are not shown there).
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True) & ~Q(kind="account"),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.email}"


class NotificationPreference(models.Model):
    """How a member wants one kind of notification: everywhere, or in one community."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64)
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    frequency = models.CharField(_("delivery"), max_length=12, choices=Frequency.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(community__isnull=True),
                name="preference_one_general_per_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "community"],
                condition=Q(community__isnull=False),
                name="preference_one_per_kind_and_community",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.kind}: {self.frequency}"


def time_zone_choices():
    canadian = [
        ("America/St_Johns", _("Newfoundland time")),
        ("America/Halifax", _("Atlantic time")),
        ("America/Toronto", _("Eastern time")),
        ("America/Winnipeg", _("Central time")),
        ("America/Regina", _("Saskatchewan time")),
        ("America/Edmonton", _("Mountain time")),
        ("America/Vancouver", _("Pacific time")),
        ("America/Whitehorse", _("Yukon time")),
    ]
    return canadian


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DigestSchedule(models.Model):
    """When a member's digests go out: an hour of their day, and a weekday for the weekly one."""

    DEFAULT_HOUR = 8
    DEFAULT_WEEKDAY = Weekday.MONDAY
    DEFAULT_TIME_ZONE = "America/Toronto"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="digest_schedule",
    )
    hour = models.PositiveSmallIntegerField(
        _("hour"),
        default=DEFAULT_HOUR,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the weekly digest"), choices=Weekday.choices, default=DEFAULT_WEEKDAY
    )
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=time_zone_choices, default=DEFAULT_TIME_ZONE
    )

    class Meta:
        verbose_name = _("digest schedule")
        verbose_name_plural = _("digest schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__gte=0, hour__lte=23), name="digest_schedule_hour_range"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.hour:02d}:00 {self.time_zone}"

    def clean(self):
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError({"time_zone": _("Choose a time zone from the list.")}) from exc
