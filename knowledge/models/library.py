"""Knowledge sharing: announcements, discussions, the resource library and follows.

Member-written Markdown is stored as written and, next to it, as sanitized HTML rendered once at
save time by services (markdown.render): pages never render Markdown per request and never
output anything the sanitizer did not let through.
"""

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


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class Announcement(models.Model):
    """News from a community's leads, in English and French, posted to one or more
    communities."""

    communities = models.ManyToManyField(
        "communities.Community", related_name="announcements", verbose_name=_("communities")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: **bold**, *italics*, lists, links."))
    body_html = models.TextField(editable=False, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="announcements",
        verbose_name=_("author"),
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:announcement", kwargs={"pk": self.pk})


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
