"""The leads' attendee tools: the list and its CSV, attendance, removing someone, messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cssp_portal.csv_export import csv_response
from cssp_portal.errors import first_message
from cssp_portal.params import id_or_none
from events import policies
from events.forms import MessageForm
from events.models import Registration
from events.services.attendees import event_message_registrants, registrations_mark_attendance
from events.services.registration import registration_cancel


def _with_withheld(request, event, registrations) -> list[Registration]:
    """The registrations, each marked `withheld` when the viewer may not read its person's
    details (policies.withheld_registrants)."""
    withheld = policies.withheld_registrants(request, event)
    registrations = list(registrations)
    for registration in registrations:
        registration.withheld = registration.user_id in withheld
    return registrations


@login_required
def attendees(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    registrations = _with_withheld(
        request,
        event,
        event.registrations.select_related("user__organization").order_by("created_at", "pk"),
    )
    seated = [r for r in registrations if r.state in Registration.SEATED_STATES]
    waitlist = [r for r in registrations if r.state == Registration.State.WAITLISTED]
    cancelled = [r for r in registrations if r.state == Registration.State.CANCELLED]
    return render(
        request,
        "events/attendees.html",
        {
            "event": event,
            "seated": seated,
            "waitlist": waitlist,
            "cancelled": cancelled,
            "can_mark": event.start <= timezone.now(),
            "message_form": MessageForm(),
            "withheld_count": sum(1 for r in registrations if r.withheld),
        },
    )


@login_required
def attendees_csv(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    registrations = _with_withheld(
        request,
        event,
        event.registrations.select_related("user__organization").order_by("created_at", "pk"),
    )
    positions: dict[str, int] = {}

    def rows():
        for r in registrations:
            position = ""
            if r.state == Registration.State.WAITLISTED:
                positions[r.mode] = positions.get(r.mode, 0) + 1
                position = positions[r.mode]
            if r.withheld:
                yield [
                    _("Details withheld"),
                    "",
                    "",
                    "",
                    "",
                    r.get_state_display(),
                    position,
                    r.get_mode_display(),
                    timezone.localtime(r.created_at, event.zone).strftime("%Y-%m-%d %H:%M"),
                ]
                continue
            organization = r.user.organization
            yield [
                r.user.last_name,
                r.user.first_name,
                r.user.email,
                organization.name if organization else "",
                organization.get_sector_display() if organization else "",
                r.get_state_display(),
                position,
                r.get_mode_display(),
                timezone.localtime(r.created_at, event.zone).strftime("%Y-%m-%d %H:%M"),
            ]

    return csv_response(
        f"{event.slug}-attendees.csv",
        [
            _("Last name"),
            _("First name"),
            _("Email address"),
            _("Organization"),
            _("Sector"),
            _("State"),
            _("Waitlist position"),
            _("Attending"),
            _("Registered"),
        ],
        rows(),
    )


@login_required
@require_POST
def attendance(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    try:
        count = registrations_mark_attendance(
            event=event,
            by=request.user,
            # "²" passes str.isdigit() and a 30-digit number overflows the column: neither is
            # an id of ours.
            attended_ids=[
                pk for pk in map(id_or_none, request.POST.getlist("attended")) if pk is not None
            ],
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(count)d person attended.",
                "Attendance saved: %(count)d people attended.",
                count,
            )
            % {"count": count},
        )
    return redirect("events:attendees", slug=event.slug)


@login_required
def attendee_remove(request, slug, pk):
    """A confirmation page, then the cancellation of someone's registration by the organizers
    (the first waitlisted person takes the freed seat)."""
    event = policies.event_for_managing(request, slug=slug)
    registration = get_object_or_404(
        event.registrations.select_related("user"),
        pk=pk,
        state__in=(Registration.State.CONFIRMED, Registration.State.WAITLISTED),
    )
    if registration.user_id in policies.withheld_registrants(request, event):
        raise Http404
    if request.method == "POST":
        try:
            registration_cancel(registration=registration, by=request.user)
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(
                request,
                _("The registration of %(name)s was cancelled.")
                % {"name": registration.user.get_full_name() or registration.user.email},
            )
        return redirect("events:attendees", slug=event.slug)
    return render(
        request,
        "events/attendee_remove.html",
        {"event": event, "registration": registration},
    )


@login_required
def message_registrants(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = event_message_registrants(event=event, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            ngettext(
                "Your message was sent to %(count)d person.",
                "Your message was sent to %(count)d people.",
                count,
            )
            % {"count": count},
        )
        return redirect("events:attendees", slug=event.slug)
    return render(
        request,
        "events/message.html",
        {"event": event, "form": form},
        status=400 if request.method == "POST" else 200,
    )
