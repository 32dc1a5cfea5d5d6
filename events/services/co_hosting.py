"""Co-hosting: the host asks other communities to co-host its event; their leads answer."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Membership
from events import kinds, policies
from events.models import CoHosting, Event
from members.models import User
from notifications.services import notify


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
