"""An event's page: its details, seats, the person's registration and the outcomes."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch
from django.db.models.functions import JSONArray
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from cssp_portal.collation import order_by_name, ordering
from cssp_portal.precompiled import Precompiled
from events import policies, selectors
from events.forms import RegistrationForm
from events.models import Event, EventOutcome, Registration

# What the page shows of a co-host (its name, linked to its page), and what deciding a
# host-only event's visibility reads of it (its key).
CO_HOST_COLUMNS = ("slug", "name_en", "name_fr")


def _event_page():
    # The outcome (one-to-one) in the event's own row; its co-hosts, on PostgreSQL, as an
    # array of (id, slug, names) rows there too (`_co_hosts_from_row`), one query and a
    # prefetch fewer on every visit; the embedded SQLite default prefetches them.
    events = Event.objects.select_related("outcome")
    if connection.vendor != "postgresql":
        return events.prefetch_related(
            Prefetch("co_hosts", queryset=Community.objects.only(*CO_HOST_COLUMNS))
        )
    co_hosts = (
        Event.co_hosts.through.objects.filter(event=OuterRef("pk"))
        .order_by(*ordering(Event.co_hosts.through, "community__name"), "community_id")
        .values(row=JSONArray("community_id", *(f"community__{c}" for c in CO_HOST_COLUMNS)))
    )
    return events.annotate(co_host_rows=ArraySubquery(co_hosts))


def _co_hosts_from_row(event: Event) -> None:
    """`event.co_hosts.all()` from the rows `_event_page` read, as their prefetch gives it: the
    relation's own queryset (a further filter stays within the event's co-hosts) holding the
    rows. Django has no public way to hand rows to a relation; this is what its prefetch does."""
    rows = getattr(event, "co_host_rows", None)
    if rows is None:
        return
    communities = event.co_hosts.get_queryset().only(*CO_HOST_COLUMNS)
    # from_db takes the values in the model's field order
    names = ["id", *CO_HOST_COLUMNS]
    order = [f.attname for f in Community._meta.concrete_fields if f.attname in names]
    communities._result_cache = [
        Community.from_db(
            event._state.db, order, [dict(zip(names, row, strict=True))[n] for n in order]
        )
        for row in rows
    ]
    communities._prefetch_done = True
    event._prefetched_objects_cache = {
        **getattr(event, "_prefetched_objects_cache", {}),
        "co_hosts": communities,
    }


# The same for every visitor: compiled once per process and language.
_EVENT_PAGE = policies.event_by_slug(_event_page)
_CURRENT_REGISTRATION = Precompiled(
    "current registration",
    lambda event_id, user_id: Registration.objects.filter(
        event_id=event_id, user_id=user_id, state__in=Registration.CURRENT_STATES
    ).order_by("pk")[:1],
    event_id=int,
    user_id=int,
)


# Seats held, by mode: the page's "places left" for each mode.
_SEATS_TAKEN = Precompiled(
    "seats taken",
    lambda event_id: (
        Registration.objects.filter(event_id=event_id)
        .seated()
        .values("mode")
        .annotate(n=Count("pk"))
        .order_by()
    ),
    event_id=int,
)


def _seats_taken(event) -> dict[str, int]:
    """Seats held, counted by mode (every mode, 0 when none)."""
    counts = dict.fromkeys(Registration.Mode.values, 0)
    for row in _SEATS_TAKEN.list(event_id=event.pk):
        counts[row["mode"]] = row["n"]
    return counts


def event_detail(request, slug):
    # The outcome (one-to-one) comes in the event's own query; the documents are read only
    # where the outcomes are shown (most events have none).
    event = policies.event_for_viewing(
        request, slug=slug, read=_EVENT_PAGE, ready=_co_hosts_from_row
    )
    registration = None
    if request.user.is_authenticated:
        registration = _CURRENT_REGISTRATION.first(event_id=event.pk, user_id=request.user.pk)
        if registration is not None:
            registration.event = event
    can_manage = policies.can_manage_event(request.user, event)
    try:
        outcome = event.outcome
    except EventOutcome.DoesNotExist:
        outcome = None
    if outcome and not (outcome.is_published or can_manage):
        outcome = None
    taken = _seats_taken(event)
    seats = [
        {
            "mode": Registration.Mode(mode).label,
            "capacity": event.capacity_for(mode),
            "taken": taken[mode],
            "left": max(event.capacity_for(mode) - taken[mode], 0)
            if event.capacity_for(mode) is not None
            else None,
        }
        for mode in event.registration_modes
    ]
    waitlist_position = None
    if registration and registration.state == Registration.State.WAITLISTED:
        waitlist_position = (
            event.registrations.filter(
                state=Registration.State.WAITLISTED,
                mode=registration.mode,
                created_at__lte=registration.created_at,
            )
            .exclude(created_at=registration.created_at, pk__gt=registration.pk)
            .count()
        )
    form = RegistrationForm(initial={"mode": event.registration_modes[0]})
    form.fields["mode"].choices = [
        (mode, Registration.Mode(mode).label) for mode in event.registration_modes
    ]
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "waitlist_position": waitlist_position,
            "can_manage": can_manage,
            "can_register": policies.can_register(request.user, event),
            "closed_reason": event.registration_closed_reason(),
            "started": event.start <= timezone.now(),
            "show_link": policies.can_see_virtual_link(request.user, event, registration),
            "seats": seats,
            "registration_form": form,
            "hybrid": event.format == Event.Format.HYBRID,
            "outcome": outcome,
            "documents": list(event.documents.all()) if outcome else [],
            "breakdown": selectors.attendance_breakdown(event)
            if outcome and outcome.is_published
            else None,
            "co_hostings": order_by_name(
                event.co_hostings.select_related("community"), "community__name"
            )
            if can_manage
            else (),
            "login_url": f"{reverse('account_login')}?next={request.path}",
            "date_modified": event.updated_at,
        },
    )
