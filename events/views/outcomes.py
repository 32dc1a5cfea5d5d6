"""The leads record an event's outcomes and share documents; who may, downloads them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cssp_portal.errors import first_message
from cssp_portal.uploads import download_response
from events import policies, selectors
from events.forms import DocumentForm, OutcomeForm
from events.models import EventDocument, EventOutcome
from events.services.outcomes import document_add, outcome_save


@login_required
def outcomes(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    outcome = EventOutcome.objects.filter(event=event).first() or EventOutcome(event=event)
    form = OutcomeForm(request.POST or None, instance=outcome)
    document_form = DocumentForm()
    if request.method == "POST" and form.is_valid():
        try:
            outcome_save(
                outcome=form.save(commit=False),
                by=request.user,
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, _("The outcomes were saved."))
            return redirect(event)
    return render(
        request,
        "events/outcomes.html",
        {
            "event": event,
            "form": form,
            "document_form": document_form,
            "documents": event.documents.all(),
            "breakdown": selectors.attendance_breakdown(event),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def document_upload(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    form = DocumentForm(request.POST, request.FILES, instance=None)
    if form.is_valid():
        document = form.save(commit=False)
        document.event = event
        document_add(document=document, by=request.user)
        messages.success(request, _("The document was added."))
        return redirect("events:outcomes", slug=event.slug)
    outcome = EventOutcome.objects.filter(event=event).first() or EventOutcome(event=event)
    return render(
        request,
        "events/outcomes.html",
        {
            "event": event,
            "form": OutcomeForm(instance=outcome),
            "document_form": form,
            "documents": event.documents.all(),
            "breakdown": selectors.attendance_breakdown(event),
        },
        status=400,
    )


def document_download(request, slug, pk):
    """An outcome document, after the policy (404 to whoever may not read it)."""
    document = get_object_or_404(
        EventDocument.objects.select_related("event__community"), pk=pk, event__slug=slug
    )
    if not policies.can_download_document(request.user, document):
        raise Http404
    return download_response(
        document.file,
        filename=document.original_name or f"document.{document.file.name.rsplit('.', 1)[-1]}",
        content_type=document.content_type or "application/octet-stream",
    )
