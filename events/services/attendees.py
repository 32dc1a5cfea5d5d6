"""The organizers' attendee tools: marking attendance and messaging the registrants."""

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import kinds, policies
from events.models import Event, Registration
from events.selectors import event_registrants
from members.models import User
from notifications.services import notify


@transaction.atomic
def registrations_mark_attendance(*, event: Event, by: User, attended_ids: Iterable[int]) -> int:
    """Mark who came: the confirmed registrations among `attended_ids` become "attended", the
    other seated ones go back to confirmed. Possible once the event has started. Returns how
    many attended."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    if event.start > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    ids = {int(pk) for pk in attended_ids}
    seated = event.registrations.seated()
    seated.filter(pk__in=ids).update(state=Registration.State.ATTENDED, updated_at=timezone.now())
    seated.exclude(pk__in=ids).update(state=Registration.State.CONFIRMED, updated_at=timezone.now())
    return event.registrations.filter(state=Registration.State.ATTENDED).count()


@transaction.atomic
def event_message_registrants(
    *, event: Event, by: User, subject: str, body: str, audience: str = "all"
) -> int:
    """Email the registrants (all, confirmed or waitlisted) a message from the organizers.
    Returns how many people it was sent to."""
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    recipients = event_registrants(event, Registration.AUDIENCES[audience])
    notify(
        kind=kinds.EVENT_MESSAGE,
        recipients=recipients,
        about=event,
        community=event.community,
        context={
            "subject": subject,
            "body": body,
            "sender": by.get_full_name() or by.email,
        },
        key=f"event:{event.pk}:message:{uuid.uuid4()}",
    )
    return len(recipients)
