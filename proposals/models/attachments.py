"""Files kept with proposals and calls, in the private storage under random names."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cssp_portal.uploads import private_storage

from .call import Call
from .proposal import Proposal


def attachment_path(instance, filename):
    # A random name: the stored path reveals nothing and cannot be guessed. The member's own
    # (sanitized) name is kept in `original_name` for the download.
    import uuid

    folder = "calls" if instance._meta.model_name == "calldocument" else "proposals"
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """A file kept in private storage under a random name, with what its uploader called it:
    proposal attachments and call documents, each downloaded through a view that asks its
    policy first."""

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
        abstract = True


class ProposalAttachment(StoredFile):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("proposal")
    )

    class Meta:
        ordering = ["proposal", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class CallDocument(StoredFile):
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

    class Meta:
        ordering = ["call", "created_at"]
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")

    def __str__(self):
        return self.title
