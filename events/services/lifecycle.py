"""Writes with consequences on events, registrations, reminders and outcomes.

Seats are allocated under a row lock on the event (`SELECT ... FOR UPDATE`): every registration,
cancellation and capacity change of one event runs one at a time, so two people asking for the
last seat at the same moment get one seat and one waitlist place, and a freed seat is given to
exactly one waitlisted person.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import Community, Membership
from events import kinds, policies
from events.models import (
    CalendarFeed,
    CoHosting,
    Event,
    EventDocument,
    EventOutcome,
    EventReminder,
    Registration,
    _feed_token,
)
from events.selectors import event_registrants
from members.models import User
from notifications.services import notify

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
            _promote_waitlisted(event, mode)
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


# --- Co-hosting: asked by the host, answered by the co-host's leads ---------------------------


@transaction.atomic
def co_hosts_request(*, event: Event, communities: Iterable[Community], by: User) -> None:
    """Make `communities` the event's asked-or-accepted co-hosts. A community not yet asked
    (or that declined or withdrew earlier) is asked again: its leads get an email (kind
    "events.co_host_request") and the event shows nowhere in it until one accepts. A
    community left out stops being asked, or stops co-hosting (withdrawn by `by`). Raises
    PermissionDenied unless `by` manages the event, or when a newly named community is not one
    `by` may name (`policies.co_host_choices`: a members-only community they cannot see)."""
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    wanted = {c.pk: c for c in communities if c.pk != event.community_id}
    rows = {row.community_id: row for row in CoHosting.objects.filter(event=event)}
    now = timezone.now()
    asking = [pk for pk in wanted if pk not in rows or rows[pk].state not in CoHosting.LIVE_STATES]
    if asking:
        allowed = set(
            policies.co_host_choices(by, event.community, event)
            .filter(pk__in=asking)
            .values_list("pk", flat=True)
        )
        if set(asking) - allowed:
            raise PermissionDenied
    asked = []
    for pk in asking:
        row = rows.get(pk) or CoHosting(event=event, community=wanted[pk])
        row.state = CoHosting.State.REQUESTED
        row.requested_by, row.requested_at = by, now
        row.decided_by = row.decided_at = None
        row.save()
        asked.append(row)
    ended = [
        row for pk, row in rows.items() if pk not in wanted and row.state in CoHosting.LIVE_STATES
    ]
    if ended:
        CoHosting.objects.filter(pk__in=[row.pk for row in ended]).update(
            state=CoHosting.State.WITHDRAWN, decided_by=by, decided_at=now
        )
        event.co_hosts.remove(*[row.community_id for row in ended])
    for row in asked:
        _co_host_request_notify(row)


def _co_host_request_notify(co_hosting: CoHosting) -> None:
    leads = [
        membership.user
        for membership in Membership.objects.filter(
            community_id=co_hosting.community_id,
            state=Membership.State.ACTIVE,
            role__in=Membership.LEAD_ROLES,
        ).select_related("user")
    ]
    notify(
        kind=kinds.EVENT_CO_HOST_REQUEST,
        recipients=leads,
        about=co_hosting,
        community=co_hosting.community,
        context={
            "requester": co_hosting.requested_by.get_full_name() or co_hosting.requested_by.email
        },
        key=f"co_hosting:{co_hosting.pk}:requested:{co_hosting.requested_at.isoformat()}",
    )


@transaction.atomic
def co_hosting_answer(*, co_hosting: CoHosting, by: User, decision: str) -> CoHosting:
    """The asked community's answer: accept or decline a request, or withdraw from an event it
    co-hosts. Accepting makes it a co-host (`Event.co_hosts`: its page, its members' calendars
    and, for a host-only event, its members' access); declining or withdrawing keeps the event
    out of it. Raises PermissionDenied unless `by` leads the asked community
    (`policies.can_answer_co_hosting`), ValidationError for a decision the request's state
    does not allow (already answered, cancelled by the host)."""
    co_hosting = (
        CoHosting.objects.select_for_update()
        .select_related("event", "community")
        .get(pk=co_hosting.pk)
    )
    if not policies.can_answer_co_hosting(by, co_hosting):
        raise PermissionDenied
    if decision not in CoHosting.DECISIONS:
        raise ValidationError(_("Choose to accept, decline or withdraw."))
    answers, state = CoHosting.DECISIONS[decision]
    if co_hosting.state not in answers:
        raise ValidationError(
            _("This request is no longer awaiting that answer (it is now: %(state)s).")
            % {"state": co_hosting.get_state_display()}
        )
    co_hosting.state = state
    co_hosting.decided_by = by
    co_hosting.decided_at = timezone.now()
    co_hosting.full_clean()
    co_hosting.save(update_fields=["state", "decided_by", "decided_at"])
    event = co_hosting.event
    if state == CoHosting.State.ACCEPTED:
        event.co_hosts.add(co_hosting.community_id)
    else:
        event.co_hosts.remove(co_hosting.community_id)
    # The event's listings are cached by its version: its hosts changed.
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
    return co_hosting


# --- Registration, waitlist and promotion ------------------------------------------------------


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
        _promote_waitlisted(event, registration.mode)
    return registration


def _promote_waitlisted(event: Event, mode: str) -> list[Registration]:
    """Give the free seats of `mode` to the waitlist in order. The caller holds the event lock."""
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


# --- Attendee list tools -----------------------------------------------------------------------


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


# --- Reminders (Celery beat) -------------------------------------------------------------------


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


# --- Outcomes ----------------------------------------------------------------------------------


@transaction.atomic
def outcome_save(*, outcome: EventOutcome, by: User, publish: bool) -> EventOutcome:
    """Record (and optionally publish to the community) what an event produced. Possible once
    the event has started; publishing marks the event completed."""
    event = Event.objects.select_for_update().get(pk=outcome.event_id)
    if not policies.can_manage_event(by, event):
        raise PermissionDenied
    if event.start > timezone.now() or event.status in (
        Event.Status.DRAFT,
        Event.Status.CANCELLED,
    ):
        raise ValidationError(_("Outcomes are recorded after the event."))
    if publish and outcome.published_at is None:
        outcome.published_at = timezone.now()
    if not publish:
        outcome.published_at = None
    outcome.full_clean()
    outcome.save()
    if publish and event.status == Event.Status.PUBLISHED:
        event.status = Event.Status.COMPLETED
        event.save(update_fields=["status", "updated_at"])
    return outcome


@transaction.atomic
def document_add(*, document: EventDocument, by: User) -> EventDocument:
    if not policies.can_manage_event(by, document.event):
        raise PermissionDenied
    document.uploaded_by = by
    document.full_clean()
    document.save()
    return document


# --- The personal calendar feed ----------------------------------------------------------------


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """Replace the feed's secret: the old address stops working at once."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    feed.token = _feed_token()
    feed.last_used_at = None
    feed.save(update_fields=["token", "last_used_at"])
    return feed
