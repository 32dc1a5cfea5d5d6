"""Calls for proposals and the documents published with them (program staff)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cssp_portal.uploads import validate_upload
from members.models import User
from proposals import policies
from proposals.models import Call, CallDocument, CapabilityGap


@transaction.atomic
def call_save(*, call: Call, by: User, communities=None, priorities=None) -> Call:
    """Create or update a call (administrators and portfolio managers)."""
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    if not call.slug:
        base = slugify(call.title_en or "")[:100] or "call"
        slug, n = base, 2
        while Call.objects.filter(slug=slug).exclude(pk=call.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        call.slug = slug
    call.full_clean()
    call.save()
    if communities is not None:
        call.communities.set(communities)
    if priorities is not None:
        call.priorities.set(priorities)
    return call


@transaction.atomic
def call_publish(*, call: Call, by: User) -> Call:
    """Publish a call: it appears in the public list and, once open, takes proposals. The
    priorities it addresses move to "addressed by a call" (unless already further along)."""
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    call.is_published = True
    call.full_clean()
    call.save(update_fields=["is_published", "updated_at"])
    call.priorities.filter(
        status__in=[CapabilityGap.Status.IDENTIFIED, CapabilityGap.Status.PRIORITIZED]
    ).update(status=CapabilityGap.Status.ADDRESSED_BY_CALL, updated_at=timezone.now())
    return call


@transaction.atomic
def call_document_add(*, call: Call, by: User, upload, title: str, language: str) -> CallDocument:
    """Publish a document with a call (program staff); checked like proposal attachments."""
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    name, content_type = validate_upload(upload)
    document = CallDocument(
        call=call,
        title=title.strip() or name,
        language=language,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(name, upload, save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def call_document_delete(*, document: CallDocument, by: User) -> None:
    if not policies.can_manage_calls(by):
        raise PermissionDenied
    storage, path = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(path))
