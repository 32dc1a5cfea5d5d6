"""Files attached to draft proposals."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cssp_portal.uploads import validate_upload
from members.models import User
from proposals import policies
from proposals.models import Proposal, ProposalAttachment

# A proposal carries at most this many files.
MAX_PER_PROPOSAL = 10


@transaction.atomic
def attachment_add(*, proposal: Proposal, by: User, upload) -> ProposalAttachment:
    """Attach a file to a draft: type, size and name are checked (uploads.validate_upload);
    the file is stored under a random name and read only through the download view."""
    if not policies.can_edit_proposal(by, proposal):
        raise PermissionDenied
    if proposal.attachments.count() >= MAX_PER_PROPOSAL:
        raise ValidationError(
            _("A proposal can have at most %(max)d attachments.") % {"max": MAX_PER_PROPOSAL}
        )
    name, content_type = validate_upload(upload)
    attachment = ProposalAttachment(
        proposal=proposal,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ProposalAttachment, by: User) -> None:
    if not policies.can_delete_attachment(by, attachment):
        raise PermissionDenied
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
