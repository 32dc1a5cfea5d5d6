"""The leads create, edit, publish, cancel and copy their community's events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cssp_portal.errors import first_message
from events import policies
from events.forms import EventForm
from events.models import CoHosting, Event, Registration
from events.services import lifecycle as lifecycle_services


@login_required
def event_create(request, community_slug):
    community = policies.community_for_new_event(request, slug=community_slug)
    form = EventForm(request.POST or None, community=community, by=request)
    if request.method == "POST" and form.is_valid():
        event = lifecycle_services.event_create(
            event=form.save(commit=False),
            community=community,
            by=request.user,
            co_hosts=form.cleaned_data["co_hosts"],
            reminder_hours=form.cleaned_data["reminder_hours"],
        )
        messages.success(request, _("The event was saved as a draft. Publish it when it is ready."))
        return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "community": community, "event": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def event_edit(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        messages.error(request, _("A cancelled or completed event can no longer be changed."))
        return redirect(event)
    form = EventForm(request.POST or None, instance=event, community=event.community, by=request)
    if not request.POST:
        # Asked and accepting co-hosts stay ticked: unticking one cancels its request or ends
        # its co-hosting.
        form.initial["co_hosts"] = list(
            event.co_hostings.filter(state__in=CoHosting.LIVE_STATES).values_list(
                "community_id", flat=True
            )
        )
    if request.method == "POST" and form.is_valid():
        try:
            event = lifecycle_services.event_update(
                event=form.save(commit=False),
                by=request.user,
                co_hosts=form.cleaned_data["co_hosts"],
                reminder_hours=form.cleaned_data["reminder_hours"],
            )
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, _("The event was updated."))
        return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "community": event.community, "event": event},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def event_publish(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    try:
        lifecycle_services.event_publish(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("The event is published."))
    return redirect(event)


@login_required
def event_cancel(request, slug):
    """A confirmation page, then the cancellation (registrants are told by email)."""
    event = policies.event_for_managing(request, slug=slug)
    if request.method == "POST":
        try:
            lifecycle_services.event_cancel(event=event, by=request.user)
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, _("The event was cancelled and its registrants told."))
        return redirect(event)
    registrants = event.registrations.filter(state__in=Registration.AUDIENCES["all"]).count()
    return render(request, "events/event_cancel.html", {"event": event, "registrants": registrants})


@login_required
@require_POST
def event_copy(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    copy = lifecycle_services.event_copy(event=event, by=request.user)
    messages.success(request, _("A draft copy was created. Set its dates, then publish it."))
    return redirect("events:edit", slug=copy.slug)
