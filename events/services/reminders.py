"""Reminders before an event, sent by a periodic scan (Celery beat, events.tasks)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events import kinds
from events.models import Event, EventReminder, Registration
from events.selectors import event_registrants
from notifications.services import notify


def event_reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders that are due: the event is published and has not started, and its
    start is at most `hours_before` away. When several reminders of one event are due at once
    (the event was published late) only the closest one goes. Each reminder row is claimed
    under lock and stamped `sent_at` in the transaction that records the emails, and the emails'
    keys name the reminder and the start, so a beat tick running twice sends nothing twice.
    Returns how many reminders were sent."""
    now = now or timezone.now()
    pending = EventReminder.objects.filter(
        sent_at__isnull=True, event__status=Event.Status.PUBLISHED, event__start__gt=now
    )
    # One condition per reminder delay in use (a handful): "start minus a number of hours"
    # computed in SQL is not portable (SQLite, the embedded default, cannot multiply an
    # interval), a comparison of the start with a computed instant is.
    is_due = Q(pk__in=[])
    for hours in set(pending.values_list("hours_before", flat=True).order_by()):
        is_due |= Q(hours_before=hours, event__start__lte=now + datetime.timedelta(hours=hours))
    due = pending.filter(is_due)
    sent = 0
    for event_id in sorted(set(due.values_list("event_id", flat=True))):
        with transaction.atomic():
            reminders = list(
                due.filter(event_id=event_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("event__community")
                .order_by("hours_before")
            )
            if not reminders:
                continue
            closest = reminders[0]
            event = closest.event
            notify(
                kind=kinds.EVENT_REMINDER,
                recipients=event_registrants(event, Registration.SEATED_STATES),
                about=event,
                community=event.community,
                context={"hours_before": closest.hours_before},
                key=f"event:{event.pk}:reminder:{closest.hours_before}:{event.start.isoformat()}",
            )
            EventReminder.objects.filter(pk__in=[r.pk for r in reminders]).update(sent_at=now)
            sent += 1
    return sent
