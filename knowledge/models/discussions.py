"""Discussions: threads, their messages and the reports members make about a message."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThreadQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(hidden_at__isnull=True)


class Thread(models.Model):
    """A discussion started in one community, optionally shared with others for cross-community
    work. The opening message is the thread's first Post."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="threads",
        verbose_name=_("community"),
    )
    shared_with = models.ManyToManyField(
        "communities.Community",
        related_name="shared_threads",
        blank=True,
        verbose_name=_("also shared with"),
    )
    title = models.CharField(_("subject"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="threads",
        verbose_name=_("started by"),
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_activity_at", "-pk"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        indexes = [models.Index(fields=["community", "-pinned", "-last_activity_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:thread", kwargs={"pk": self.pk})

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Post(models.Model):
    """One message of a thread: the opening one or a reply."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("discussion")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="posts",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"))
    body_html = models.TextField(editable=False, blank=True)
    is_opening = models.BooleanField(default=False, editable=False)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentions", blank=True, editable=False
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self):
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostReportQuerySet(models.QuerySet):
    def open(self):
        """Reports the leads have not resolved yet."""
        return self.filter(resolved_at__isnull=True)


class PostReport(models.Model):
    """A member's report that a message breaks the rules, for the community's leads."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("message")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_reports",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = PostReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="knowledge_one_open_report_per_person",
            )
        ]

    def __str__(self):
        return f"{self.post} – {self.reporter}"
