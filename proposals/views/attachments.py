"""Files attached to a draft proposal: upload, download, removal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cssp_portal.uploads import download_response
from proposals import policies
from proposals.forms import AttachmentForm
from proposals.models import ProposalAttachment
from proposals.services import attachments as attachment_services

from .proposals import proposal_detail


@login_required
@require_POST
def attachment_upload(request, pk):
    proposal = policies.proposal_for_viewing(request, pk=pk)
    if not policies.can_edit_proposal(request.user, proposal):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_services.attachment_add(
                proposal=proposal, by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
    if form.errors:
        return proposal_detail(request, pk, attachment_form=form, status=400)
    messages.success(request, _("The file was attached."))
    return redirect(f"{proposal.get_absolute_url()}#attachments")


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(ProposalAttachment.objects.select_related("proposal"), pk=pk)
    if not policies.can_download_attachment(request.user, attachment):
        raise Http404
    return file_response(attachment)


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(ProposalAttachment.objects.select_related("proposal"), pk=pk)
    if not policies.can_download_attachment(request.user, attachment):
        raise Http404
    if not policies.can_delete_attachment(request.user, attachment):
        raise PermissionDenied
    proposal = attachment.proposal
    attachment_services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("The file was removed."))
    return redirect(f"{proposal.get_absolute_url()}#attachments")


def file_response(stored):
    """A stored file (attachment or call document) under the name it was uploaded with."""
    return download_response(
        stored.file, filename=stored.original_name, content_type=stored.content_type
    )
