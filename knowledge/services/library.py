"""The resource library: folders, documents and links, their versions and uploads, and the
record of each download of a Protected file."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.models import Community
from cssp_portal import uploads
from knowledge import kinds, policies, selectors
from knowledge.models import Folder, ProtectedDownload, Resource, ResourceVersion
from members.models import User
from notifications.services import notify

MAX_UPLOAD_BYTES = getattr(settings, "KNOWLEDGE_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)


def allowed_extensions() -> str:
    return uploads.allowed_extensions(uploads.LIBRARY_TYPES)


def upload_check(upload) -> tuple[str, str]:
    """The safe name and content type of a library file, or ValidationError: the portal's one
    upload check (cssp_portal/uploads.py) with the library's types and size limit."""
    return uploads.validate_upload(upload, types=uploads.LIBRARY_TYPES, max_size=MAX_UPLOAD_BYTES)


@transaction.atomic
def folder_create(
    *,
    community: Community,
    by: User,
    name_en: str,
    name_fr: str,
    description_en: str = "",
    description_fr: str = "",
    parent: Folder | None = None,
) -> Folder:
    if not policies.can_manage_library(by, community):
        raise PermissionDenied
    folder = Folder(
        community=community,
        parent=parent,
        created_by=by,
        name=name_en,
        name_en=name_en,
        name_fr=name_fr,
        description_en=description_en,
        description_fr=description_fr,
    )
    folder.full_clean()
    folder.save()
    return folder


def _notify_folder_followers(resource: Resource, by: User, *, version=None) -> None:
    recipients = (
        selectors.resource_readers(resource)
        .filter(knowledge_follows__folder=resource.folder)
        .exclude(pk=by.pk)
    )
    notify(
        kind=kinds.RESOURCE,
        recipients=recipients,
        about=resource,
        community=resource.folder.community,
        context={
            "title_en": resource.title_en,
            "title_fr": resource.title_fr,
            "folder_en": resource.folder.name_en,
            "folder_fr": resource.folder.name_fr,
            "author_name": str(by),
            "version": version.number if version else None,
        },
        key=f"knowledge.resource:{resource.pk}:{version.number if version else 0}",
    )


def _add_version(resource: Resource, by: User, upload, note: str) -> ResourceVersion:
    name, content_type = upload_check(upload)
    version = ResourceVersion(
        resource=resource,
        number=resource.versions.next_number(),
        original_name=name,
        size=upload.size,
        content_type=content_type,
        note=note,
        uploaded_by=by,
    )
    version.file.save(name, upload, save=False)
    version.full_clean()
    version.save()
    resource.current_version = version
    resource.save(update_fields=["current_version", "updated_at"])
    return version


@transaction.atomic
def resource_create(
    *,
    folder: Folder,
    by: User,
    kind: str,
    title_en: str,
    title_fr: str,
    description_en: str = "",
    description_fr: str = "",
    sensitivity: str,
    visibility: str,
    url: str = "",
    upload=None,
    note: str = "",
) -> Resource:
    """Add a document (its first version) or a link to a folder, and tell the folder's
    followers who may see it (knowledge.resource)."""
    if not policies.can_add_resource(by, folder):
        raise PermissionDenied
    resource = Resource(
        folder=folder,
        kind=kind,
        title=title_en,
        title_en=title_en,
        title_fr=title_fr,
        description_en=description_en,
        description_fr=description_fr,
        sensitivity=sensitivity,
        visibility=visibility,
        url=url if kind == Resource.Kind.LINK else "",
        created_by=by,
    )
    if kind == Resource.Kind.DOCUMENT and upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    resource.full_clean()
    resource.save()
    version = None
    if kind == Resource.Kind.DOCUMENT:
        version = _add_version(resource, by, upload, note)
    _notify_folder_followers(resource, by, version=version)
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by: User, **fields) -> Resource:
    """Change a resource's titles, descriptions, marking, visibility or link."""
    if not policies.can_edit_resource(by, resource):
        raise PermissionDenied
    allowed = {
        "title_en", "title_fr", "description_en", "description_fr", "sensitivity",
        "visibility", "url", "folder",
    }  # fmt: skip
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(resource, name, value)
    if "folder" in fields and fields["folder"].community_id != resource.folder.community_id:
        raise ValidationError({"folder": _("Choose a folder of the same community.")})
    resource.title = resource.title_en
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def resource_add_version(
    *, resource: Resource, by: User, upload, note: str = ""
) -> ResourceVersion:
    """Upload a new version of a document; earlier versions are kept and stay downloadable."""
    if not policies.can_edit_resource(by, resource):
        raise PermissionDenied
    if resource.kind != Resource.Kind.DOCUMENT:
        raise ValidationError(_("Only documents have versions."))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    version = _add_version(resource, by, upload, note)
    _notify_folder_followers(resource, by, version=version)
    return version


@transaction.atomic
def protected_download_record(
    *, resource: Resource, version: ResourceVersion, by: User
) -> ProtectedDownload | None:
    """Record that `by` is being given `version` of a Protected A or B resource (who, when,
    what), for the community's leads and administrators; nothing for an Unclassified one.
    Checks the download policy again (PermissionDenied), so no record is ever written for a
    file that was not served. The caller serves the file only after this returns."""
    if not policies.can_download(by, resource) or version.resource_id != resource.pk:
        raise PermissionDenied
    if not resource.is_protected:
        return None
    record = ProtectedDownload(
        community=resource.folder.community,
        resource=resource,
        version=version,
        user=by,
        user_email=by.email,
        resource_title=resource.title_en or resource.title,
        sensitivity=resource.sensitivity,
        version_number=version.number,
        file_name=version.original_name,
    )
    record.full_clean()
    record.save()
    return record
