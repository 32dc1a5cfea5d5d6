"""A member registers for an event or cancels their registration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cssp_portal.errors import first_message
from events import policies
from events.models import Registration
from events.services import registration as registration_services


@login_required
@require_POST
def event_register(request, slug):
    event = policies.event_for_viewing(request, slug=slug)
    if not policies.can_register(request.user, event):
        raise PermissionDenied
    try:
        registration = registration_services.event_register(
            event=event, user=request.user, mode=request.POST.get("mode", "")
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        if registration.state == Registration.State.CONFIRMED:
            messages.success(
                request, _("You are registered. A confirmation is on its way by email.")
            )
        else:
            messages.info(
                request,
                _(
                    "The event is full: you are on the waitlist. If a seat frees up, it is "
                    "yours automatically and we will tell you by email."
                ),
            )
    return redirect(event)


@login_required
@require_POST
def event_unregister(request, slug):
    event = policies.event_for_viewing(request, slug=slug)
    registration = event.registrations.filter(
        user=request.user,
        state__in=(Registration.State.CONFIRMED, Registration.State.WAITLISTED),
    ).first()
    if registration is None:
        raise Http404
    try:
        registration_services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("Your registration was cancelled."))
    return redirect(event)
