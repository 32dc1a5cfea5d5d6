"""Calls for proposals: the list, a call's page, and the staff's editing and documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals import policies, selectors
from proposals.forms import CallDocumentForm, CallForm
from proposals.models import Call, CallDocument
from proposals.services import calls as call_services

from .attachments import file_response


def call_list(request):
    now = timezone.now()
    calls = selectors.calls_listed_for(request.user)
    return render(
        request,
        "proposals/call_list.html",
        {
            "open_calls": [c for c in calls if c.is_published and c.opens_at <= now < c.closes_at],
            "upcoming_calls": [c for c in calls if c.is_published and now < c.opens_at],
            "closed_calls": [c for c in calls if c.is_published and c.closes_at <= now],
            "draft_calls": [c for c in calls if not c.is_published],
            "can_manage": policies.can_manage_calls(request.user),
        },
    )


def call_detail(request, slug, document_form=None, status=200):
    call = policies.call_for_viewing(request, slug=slug)
    return render(
        request,
        "proposals/call_detail.html",
        {
            "call": call,
            **selectors.call_detail_relations(call, request.user),
            "is_open": call.is_open(),
            "now": timezone.now(),
            "can_propose": policies.can_propose(request.user, call),
            "acts_for_government": policies.acts_for_government(request.user),
            "can_manage": policies.can_manage_calls(request.user),
            "documents": call.documents.all(),
            "document_form": document_form or CallDocumentForm(),
            "date_modified": call.updated_at,
        },
        status=status,
    )


def _call_form(request, call):
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        try:
            call = call_services.call_save(
                call=instance,
                by=request.user,
                communities=form.cleaned_data["communities"],
                priorities=form.cleaned_data["priorities"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The call was saved."))
            return redirect(call)
    return render(
        request,
        "proposals/call_form.html",
        {"form": form, "call": call if call.pk else None},
        status=400 if form.errors else 200,
    )


@login_required
def call_create(request):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    return _call_form(request, Call(year=timezone.localdate().year))


@login_required
def call_edit(request, slug):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    return _call_form(request, get_object_or_404(Call, slug=slug))


@login_required
@require_POST
def call_publish(request, slug):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call, slug=slug)
    call_services.call_publish(call=call, by=request.user)
    messages.success(request, _("The call is published."))
    return redirect(call)


@login_required
@require_POST
def call_document_upload(request, slug):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call, slug=slug)
    form = CallDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            call_services.call_document_add(
                call=call,
                by=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error("file", error)
    if form.errors:
        return call_detail(request, slug, document_form=form, status=400)
    messages.success(request, _("The document was added to the call."))
    return redirect(f"{call.get_absolute_url()}#documents")


def call_document_download(request, pk):
    document = get_object_or_404(CallDocument.objects.select_related("call"), pk=pk)
    if not policies.can_view_call(request.user, document.call):
        raise Http404
    return file_response(document)


@login_required
@require_POST
def call_document_delete(request, pk):
    if not policies.can_manage_calls(request.user):
        raise PermissionDenied
    document = get_object_or_404(CallDocument.objects.select_related("call"), pk=pk)
    call = document.call
    call_services.call_document_delete(document=document, by=request.user)
    messages.success(request, _("The document was removed."))
    return redirect(f"{call.get_absolute_url()}#documents")
