"""Follows: a member hears of what is added to a discussion or a library folder."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .discussions import Thread
from .library import Folder


class Follow(models.Model):
    """A member following a discussion or a library folder, to hear of what is added."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="knowledge_follows",
        verbose_name=_("member"),
    )
    thread = models.ForeignKey(
        Thread,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("discussion"),
    )
    folder = models.ForeignKey(
        Folder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("folder"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, folder__isnull=True)
                | Q(thread__isnull=True, folder__isnull=False),
                name="knowledge_follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "thread"], name="knowledge_follow_thread_once"),
            models.UniqueConstraint(fields=["user", "folder"], name="knowledge_follow_folder_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.thread or self.folder}"
