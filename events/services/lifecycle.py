"""An event's life as its leads run it: create, edit, publish, cancel, copy.

Editing a published event tells its registrants of a change of date, time, place, format or
link, and a larger capacity promotes waitlisted people (registration.py).
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import Community
from events import kinds, policies
from events.models import CoHosting, Event, EventReminder, Registration
from events.selectors import event_registrants
from members.models import User
from notifications.services import notify

from .co_hosting import co_hosts_request
from .registration import waitlist_promote

DEFAULT_REMINDER_HOURS = (48, 2)
# Changing one of these on a published event tells its registrants and updates calendars.
NOTIFIED_FIELDS = (
    "start",
    "end",
    "time_zone",
    "format",
    "venue",
    "address",
    "city",
    "virtual_link",
)
# Paths of the events app that an event's slug must not shadow.
RESERVED_SLUGS = {"calendar", "feed", "new", "mine", "co-hosting"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "event"
    slug = base
    while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug


def _reminders_sync(event: Event, hours: Iterable[int]) -> None:
    wanted = set(hours)
    event.reminders.exclude(hours_before__in=wanted).delete()
    existing = set(event.reminders.values_list("hours_before", flat=True))
    EventReminder.objects.bulk_create(
        [EventReminder(event=event, hours_before=h) for h in sorted(wanted - existing)]
    )


# --- Leads: create, edit, publish, cancel, copy ------------------------------------------------


@transaction.atomic
def event_create(
    *,
    event: Event,
    community: Community,
    by: User,
    co_hosts: Iterable[Community] = (),
    reminder_hours: Sequence[int] = DEFAULT_REMINDER_HOURS,
) -> Event:
    """Save a new draft event of `community` built from a form (not yet saved); `co_hosts` are
    asked, not made co-hosts (`co_hosts_request`). Raises PermissionDenied unless `by` manages
    the community."""
    if not policies.can_create_event(by, community):
        raise PermissionDenied
    event.community = community
    event.created_by = by
    event.status = Event.Status.DRAFT
    if not event.slug:
        event.slug = _unique_slug(event.title_en or event.title)
    event.full_clean()
    event.save()
    co_hosts_request(event=event, communities=co_hosts, by=by)
    _reminders_sync(event, reminder_hours)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    by: User,
    co_hosts: Iterable[Community] | None = None,
    reminder_hours: Sequence[int] | None = None,
) -> Event:
    """Save the changes a form made to `event`. On a published event, a change of date, time,
    place, format or link raises the calendar revision, re-arms the reminders of a new start
    and tells the registrants (kind "events.changed"); a larger capacity promotes waitlisted
    people. Raises PermissionDenied unless `by` manages the event."""
    before = Event.objects.select_for_update().get(pk=event.pk)
    if not policies.can_manage_event(by, before):
        raise PermissionDenied
    if before.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        raise ValidationError(_("A cancelled or completed event can no longer be changed."))
    event.status = before.status
    event.community_id = before.community_id
    changed = [name for name in NOTIFIED_FIELDS if getattr(event, name) != getattr(before, name)]
    if changed and before.status == Event.Status.PUBLISHED:
        event.sequence = before.sequence + 1
    event.full_clean()
    event.save()
    if co_hosts is not None:
        co_hosts_request(event=event, communities=co_hosts, by=by)
    if reminder_hours is not None:
        _reminders_sync(event, reminder_hours)
    if event.start != before.start:
        # Reminders of the new start are due again (their keys name the start: no duplicate).
        event.reminders.update(sent_at=None)
    if before.status == Event.Status.PUBLISHED:
        for mode in Registration.Mode.values:
            waitlist_promote(event, mode)
        if changed:
            _notify_change(event, cancelled=False)
    return event


def _notify_change(event: Event, *, cancelled: bool) -> None:
    notify(
        kind=kinds.EVENT_CHANGED,
        recipients=event_registrants(event),
        about=event,
        community=event.community,
        context={"cancelled": cancelled},
        key=f"event:{event.pk}:{'cancelled' if cancelled else 'changed'}:{event.sequence}",
    )


@transaction.atomic
def event_publish(*, event: Event, by: User) -> Event:
    """Make a draft event visible (to its audience) and open for registration."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Only a draft event can be published."))
    event.status = Event.Status.PUBLISHED
    event.published_at = timezone.now()
    event.full_clean()
    event.save(update_fields=["status", "published_at", "updated_at"])
    return event


@transaction.atomic
def event_cancel(*, event: Event, by: User) -> Event:
    """Cancel a draft or published event. Registrations are kept (the attendee list stays
    readable); the registrants are told and calendars mark the event cancelled."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    if event.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        raise ValidationError(_("This event can no longer be cancelled."))
    was_published = event.status == Event.Status.PUBLISHED
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    if was_published:
        _notify_change(event, cancelled=True)
    return event


@transaction.atomic
def event_copy(*, event: Event, by: User) -> Event:
    """A new draft with the same description, place, seats, hosts and reminders (not the
    registrations nor the outcomes), for a recurring meeting: the lead then sets its dates."""
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    reminder_hours = list(event.reminders.values_list("hours_before", flat=True))
    # A co-host agreed to this event, not to its copies: they are asked again.
    co_hosts = list(
        Community.objects.filter(
            co_hostings__event=event,
            co_hostings__state__in=CoHosting.LIVE_STATES,
        )
    )
    copy = Event.objects.get(pk=event.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.slug = _unique_slug(event.title_en or event.title)
    copy.status = Event.Status.DRAFT
    copy.published_at = copy.cancelled_at = None
    copy.sequence = 0
    copy.created_by = by
    copy.full_clean()
    copy.save()
    co_hosts_request(event=copy, communities=co_hosts, by=by)
    _reminders_sync(copy, reminder_hours)
    return copy
