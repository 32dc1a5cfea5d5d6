"""What an event produced: its outcomes and the documents shared with them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cssp_portal.uploads import private_storage

from .event import Event


class EventOutcome(models.Model):
    """What an event produced, published to the community afterwards."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("event")
    )
    summary = models.TextField(_("summary"))
    key_takeaways = models.TextField(_("key takeaways"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event outcome")
        verbose_name_plural = _("event outcomes")

    def __str__(self):
        return str(self.event)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def _document_path(document, filename):
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"events/documents/{uuid.uuid4().hex}.{extension}"


class EventDocument(models.Model):
    """A document shared with an event's outcomes (report, slides, minutes)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="documents", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=255)
    # Kept in the private storage under a random name; read only through the download view.
    file = models.FileField(
        _("file"), upload_to=_document_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["event", "title"]
        verbose_name = _("event document")
        verbose_name_plural = _("event documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:document_download", kwargs={"slug": self.event.slug, "pk": self.pk})
