"""A community's resource library: folders, resources (documents and links), the versions of a
document, and the record of each download of a Protected file."""

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


class Folder(models.Model):
    """A folder of a community's resource library (folders may hold sub-folders)."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="folders",
        verbose_name=_("community"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("inside folder"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("folder")
        verbose_name_plural = _("folders")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:folder", kwargs={"pk": self.pk})

    def clean(self):
        if self.parent_id and self.parent.community_id != self.community_id:
            raise ValidationError({"parent": _("A folder belongs to its parent's community.")})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A folder cannot be inside itself.")})
            ancestor = ancestor.parent

    def ancestors(self) -> list["Folder"]:
        chain, folder = [], self.parent
        while folder is not None:
            chain.append(folder)
            folder = folder.parent
        return list(reversed(chain))


class Sensitivity(models.TextChoices):
    """Government of Canada security markings a resource may carry on this portal."""

    UNCLASSIFIED = "unclassified", _("Unclassified")
    PROTECTED_A = "protected_a", _("Protected A")
    PROTECTED_B = "protected_b", _("Protected B")


PROTECTED_VISIBILITY_ERROR = _(
    "Protected A and Protected B information is for the members of the community only: "
    "choose “Members of the community”, or mark it Unclassified if it is not protected."
)


class Resource(models.Model):
    """A document (with its versions) or a link in a community's library."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")

    class Visibility(models.TextChoices):
        # Protected A and B items may only be COMMUNITY (need to know: see
        # knowledge.policies.can_read_protected and the constraint below).
        PUBLIC = "public", pgettext_lazy("resource visibility", "Public")
        MEMBERS = "members", pgettext_lazy("resource visibility", "All signed-in members")
        COMMUNITY = "community", pgettext_lazy("resource visibility", "Members of the community")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    folder = models.ForeignKey(
        Folder, on_delete=models.PROTECT, related_name="resources", verbose_name=_("folder")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("address of the link"), max_length=500, blank=True)
    sensitivity = models.CharField(
        _("sensitivity"),
        max_length=16,
        choices=Sensitivity.choices,
        default=Sensitivity.UNCLASSIFIED,
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.COMMUNITY,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="resources",
        verbose_name=_("added by"),
    )
    # The newest version, kept here so listings need no sub-query per row.
    current_version = models.ForeignKey(
        "ResourceVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            # Need to know (issue #16, F4): Protected A and B information is for the members of
            # the owning community only: never public, never all signed-in members.
            models.CheckConstraint(
                condition=Q(sensitivity="unclassified") | Q(visibility="community"),
                name="knowledge_protected_resource_community_only",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:resource", kwargs={"pk": self.pk})

    @property
    def community(self):
        return self.folder.community

    @property
    def is_protected(self) -> bool:
        return self.sensitivity != Sensitivity.UNCLASSIFIED

    def clean(self):
        errors = {}
        if self.is_protected and self.visibility != self.Visibility.COMMUNITY:
            errors["visibility"] = PROTECTED_VISIBILITY_ERROR
        if self.kind == self.Kind.LINK and not self.url:
            errors["url"] = _("Enter the address of the link.")
        if errors:
            raise ValidationError(errors)


def version_upload_to(instance, filename):
    # Stored under random names: the original name lives in the database and is only ever
    # given back in the Content-Disposition of a permission-checked download.
    return f"knowledge/{instance.resource_id}/{uuid.uuid4().hex}"


class ResourceVersionQuerySet(models.QuerySet):
    def next_number(self) -> int:
        """The number the next upload takes among these versions (of one resource): 1 first."""
        last = self.order_by("-number").values_list("number", flat=True).first()
        return (last or 0) + 1


class ResourceVersion(models.Model):
    """One uploaded file of a document. Versions are never replaced: a new upload adds one."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="versions", verbose_name=_("resource")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(
        _("file"), upload_to=version_upload_to, storage=private_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = ResourceVersionQuerySet.as_manager()

    class Meta:
        ordering = ["resource", "-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="knowledge_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.resource} v{self.number}"

    def get_absolute_url(self):
        return reverse(
            "knowledge:download_version", kwargs={"pk": self.resource_id, "number": self.number}
        )


class ProtectedDownload(models.Model):
    """One download of a Protected A or B file: who, when, which resource and which version.

    Written by services.protected_download_record as the file is served; read by the owning
    community's leads and administrators (policies.can_view_download_log). The names are kept
    as they were at the time so the record outlives a renamed or deleted resource or account.
    """

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="protected_downloads",
        verbose_name=_("community"),
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.SET_NULL,
        null=True,
        related_name="protected_downloads",
        verbose_name=_("resource"),
    )
    version = models.ForeignKey(
        ResourceVersion,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("downloaded by"),
    )
    user_email = models.EmailField(_("email address"), max_length=254)
    resource_title = models.CharField(_("title"), max_length=255)
    sensitivity = models.CharField(_("sensitivity"), max_length=16, choices=Sensitivity.choices)
    version_number = models.PositiveIntegerField(_("version"))
    file_name = models.CharField(_("file name"), max_length=150)
    downloaded_at = models.DateTimeField(_("downloaded"), default=timezone.now)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        verbose_name = _("download of a protected file")
        verbose_name_plural = _("downloads of protected files")
        indexes = [models.Index(fields=["community", "-downloaded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sensitivity="unclassified"),
                name="knowledge_protected_download_is_protected",
            )
        ]

    def __str__(self):
        return f"{self.user_email} – {self.resource_title} v{self.version_number}"
