"""Registration: a seat or a waitlist place, cancellation, and promotion from the waitlist.

Seats are allocated under a row lock on the event (`SELECT ... FOR UPDATE`): every registration,
cancellation and capacity change of one event runs one at a time, so two people asking for the
last seat at the same moment get one seat and one waitlist place, and a freed seat is given to
exactly one waitlisted person.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import kinds, policies
from events.models import Event, Registration
from members.models import User
from notifications.services import notify


@transaction.atomic
def event_register(*, event: Event, user: User, mode: str = "") -> Registration:
    """Register `user`: a confirmed seat while seats of the chosen mode remain, otherwise a
    place at the end of that mode's waitlist. Checks the policy (PermissionDenied), that
    registration is open and that the person is not already registered (ValidationError).
    Sends a confirmation (kind "events.registration")."""
    # The lock that makes seat allocation of this event one-at-a-time.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not policies.can_register(user, event):
        raise PermissionDenied
    reason = event.registration_closed_reason()
    if reason:
        raise ValidationError(reason)
    modes = event.registration_modes
    mode = mode or modes[0]
    if mode not in modes:
        raise ValidationError({"mode": _("Choose how you will attend.")})
    if event.registrations.filter(user=user, state__in=Registration.CURRENT_STATES).exists():
        raise ValidationError(_("You are already registered for this event."))
    state = (
        Registration.State.CONFIRMED if event.has_free_seat(mode) else Registration.State.WAITLISTED
    )
    registration = Registration(event=event, user=user, mode=mode, state=state)
    registration.full_clean(validate_constraints=False)
    registration.save()
    notify(
        kind=kinds.EVENT_REGISTRATION,
        recipients=[user],
        about=event,
        community=event.community,
        context={"waitlisted": state == Registration.State.WAITLISTED, "mode": mode},
        key=f"registration:{registration.pk}:created",
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """Cancel a confirmed or waitlisted registration (its owner, or a manager of the event).
    A freed seat goes at once to the first person waitlisted for the same mode, who is told
    by email (kind "events.promoted")."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if by.pk != registration.user_id and not policies.can_manage_event(by, event):
        raise PermissionDenied
    if registration.state not in (Registration.State.CONFIRMED, Registration.State.WAITLISTED):
        raise ValidationError(_("This registration cannot be cancelled."))
    if event.start <= timezone.now():
        raise ValidationError(_("This event has already started."))
    freed = registration.state == Registration.State.CONFIRMED
    registration.state = Registration.State.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["state", "cancelled_at", "updated_at"])
    if freed and event.status == Event.Status.PUBLISHED:
        waitlist_promote(event, registration.mode)
    return registration


def waitlist_promote(event: Event, mode: str) -> list[Registration]:
    """Give the free seats of `mode` to the waitlist in order, telling each person promoted
    (kind "events.promoted"). A step of the writes that free seats (a cancellation, a larger
    capacity): the caller holds the event lock and has checked its policy."""
    if event.start <= timezone.now():
        return []
    promoted = []
    while event.has_free_seat(mode):
        first = (
            event.registrations.select_for_update()
            .filter(state=Registration.State.WAITLISTED, mode=mode)
            .order_by("created_at", "pk")
            .first()
        )
        if first is None:
            break
        first.state = Registration.State.CONFIRMED
        first.promoted_at = timezone.now()
        first.save(update_fields=["state", "promoted_at", "updated_at"])
        promoted.append(first)
        notify(
            kind=kinds.EVENT_PROMOTED,
            recipients=[first.user],
            about=event,
            community=event.community,
            context={"mode": mode},
            key=f"registration:{first.pk}:promoted",
        )
    return promoted
