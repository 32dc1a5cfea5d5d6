import datetime
import functools

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from communities.access import VIEW, StandingQuery, standing_of
from communities.models import Community, Organization
from cssp_portal.collation import order_by_name
from cssp_portal.fragments import rows_digest
from cssp_portal.precompiled import FirstPage, Precompiled

from .models import Event, Registration
from .policies import events_visible_to, visible_events_q

__all__ = ["events_visible_to"]


def event_listing(
    user,
    *,
    community: Community | None = None,
    event_type: str = "",
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    mine: bool = False,
) -> QuerySet[Event]:
    """Visible events for the list and calendar pages, with their hosts in the same query and
    the co-hosts in one more, narrowed by community (host or co-host), type, a period, or to
    the user's own communities (and the events they registered for)."""
    events = events_visible_to(user)
    if community is not None:
        events = events.of_community(community)
    if mine:
        events = events.filter(pk__in=events_of_member_communities(user).values("pk"))
    if event_type:
        events = events.filter(event_type=event_type)
    if start is not None:
        events = events.filter(end__gte=start)
    if end is not None:
        events = events.filter(start__lt=end)
    return events.order_by("start", "pk")


MONTH_LIMIT = 500  # the most events a calendar month shows


def _month_ids(who, start: datetime.datetime, end: datetime.datetime, **filters) -> QuerySet:
    events = event_listing(who, start=start, end=end, **filters)
    return events.values_list("pk", flat=True)[:MONTH_LIMIT]


# A month with no filter, the calendar's usual view: compiled once per shape of a signed-in
# person's standing (communities.access.StandingQuery), once for everyone signed out.
_MONTH_IDS = StandingQuery(
    "calendar month", _month_ids, asks=(VIEW,), start=datetime.datetime, end=datetime.datetime
)
_PUBLIC_MONTH_IDS = Precompiled(
    "calendar month (signed out)",
    functools.partial(_month_ids, AnonymousUser()),
    start=datetime.datetime,
    end=datetime.datetime,
)


def month_event_ids(
    who, *, start: datetime.datetime, end: datetime.datetime, **filters
) -> list[int]:
    """The ids of the visible events of a period (`event_listing`'s, the first MONTH_LIMIT in
    start order) narrowed by `filters` (community, event_type, mine) when any is given."""
    if any(filters.values()):
        return list(_month_ids(who, start, end, **filters))
    standing = standing_of(who)
    if standing.signed_in:
        return _MONTH_IDS.list(standing, start=start, end=end)
    return _PUBLIC_MONTH_IDS.list(start=start, end=end)


def _upcoming_ids(who, start: datetime.datetime, *, ordered: bool = True) -> QuerySet:
    events = event_listing(who, start=start)
    return events.values_list("pk", flat=True) if ordered else events.order_by().values("pk")


# The event list with no filter, its usual view: the first page's ids and the count, each
# compiled once per shape of a signed-in person's standing, once for everyone signed out.
_UPCOMING_COUNT = StandingQuery(
    "event list count",
    functools.partial(_upcoming_ids, ordered=False),
    asks=(VIEW,),
    start=datetime.datetime,
)
_PUBLIC_UPCOMING_COUNT = Precompiled(
    "event list count (signed out)",
    functools.partial(_upcoming_ids, AnonymousUser(), ordered=False),
    start=datetime.datetime,
)


@functools.cache
def _first_upcoming_ids(per_page: int) -> tuple[StandingQuery, Precompiled]:
    def build(who, start):
        return _upcoming_ids(who, start)[:per_page]

    return (
        StandingQuery("event list page", build, asks=(VIEW,), start=datetime.datetime),
        Precompiled(
            "event list page (signed out)",
            functools.partial(build, AnonymousUser()),
            start=datetime.datetime,
        ),
    )


def upcoming_ids(who, *, start: datetime.datetime, per_page: int) -> FirstPage:
    """The ids of the events an unfiltered event list shows from `start` on, in start order,
    for Django's Paginator: its count and first page read by queries compiled once (the
    list's usual view), any other page sliced from the queryset."""
    standing = standing_of(who)
    signed_in, signed_out = _first_upcoming_ids(per_page)
    if standing.signed_in:
        count = functools.partial(_UPCOMING_COUNT.count, standing, start=start)
        first = functools.partial(signed_in.list, standing, start=start)
    else:
        count = functools.partial(_PUBLIC_UPCOMING_COUNT.count, start=start)
        first = functools.partial(signed_out.list, start=start)
    return FirstPage(
        count=count,
        first=first,
        queryset=functools.partial(_upcoming_ids, standing, start),
        per_page=per_page,
    )


def with_listing_relations(events) -> list[Event]:
    """The events of one page (given in order, as ids or a sliced queryset), with their host
    and co-hosts. A page is found from the ids first (from the index alone, see
    `Event.Meta.indexes`), then its rows are read: two short queries instead of a scan of
    every wide event row. Only the columns an entry shows are read (events/_event_item.html,
    the calendar's cells, events/past_list.html): a month of the calendar is up to 500 events,
    and their descriptions and the rest of each wide row made reading them the page's slowest
    statement (5-9 ms one request at a time, tests/bench)."""
    ids = [getattr(event, "pk", event) for event in events]
    rows = {event.pk: event for event in _LISTING_ROWS.list(ids=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def _listing_rows(ids):
    names = ("name_en", "name_fr")
    return (
        Event.objects.filter(pk__any=ids)
        .select_related("community")
        .only(*_ENTRY_FIELDS, *(f"community__{name}" for name in names))
        .prefetch_related(
            Prefetch("co_hosts", queryset=order_by_name(Community.objects.only(*names), "name"))
        )
    )


# Compiled once (cssp_portal.precompiled), the ids one array whatever their number.
_LISTING_ROWS = Precompiled("event listing rows", _listing_rows, ids=list)


def _as_text(expression):
    return Coalesce(Cast(expression, CharField()), Value("-"))


def _versions(ids):
    """Each event's version as one text made by the database: its own update, its host's, and
    its co-hosts' (how many, the sum of their ids, their latest update). A month is up to 500
    events: 500 short texts cost Python a fraction of what 500 rows of seven values (three of
    them date-times) did (calendar month: 4.8 -> 3.4 ms, tests/bench)."""
    separator = Value(":")
    return (
        Event.objects.filter(pk__any=ids)
        .values_list("pk")
        .annotate(
            version=Concat(
                _as_text("updated_at"),
                separator,
                _as_text("community_id"),
                separator,
                _as_text("community__updated_at"),
                separator,
                _as_text(Count("co_hosts")),
                separator,
                _as_text(Sum("co_hosts__id")),
                separator,
                _as_text(Max("co_hosts__updated_at")),
                output_field=CharField(),
            )
        )
        .order_by()
    )


# A list page's or month's event versions: compiled once (cssp_portal.precompiled), its ids one
# array whatever their number (a month holds up to 500).
_VERSIONS = Precompiled("event versions", _versions, ids=list)


class Listing:
    """The events of one list page or month, by id in their order, for a page that keeps its
    rendered entries as a fragment.

    `version` digests what the entries show: each event's own version and its host's and
    co-hosts' (names), read in one narrow query that builds no event; `entry_version` is one
    event's share of it, the key of its own kept entry (event_tags.event_entries). `events`
    (the rows with their host and co-hosts) is read only when the page's fragment is missing
    and it needs them all (the calendar's grid); `events_among` reads those of the entries
    that are not kept either."""

    def __init__(self, ids):
        self.ids = list(ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def _versions(self) -> dict[int, tuple]:
        """Each event's (pk, version) row (`_versions`)."""
        if not self.ids:
            return {}
        # A co-host's rename or a change of co-hosts moves their count, sum or latest update
        # (every save stamps updated_at with the current time).
        return {row[0]: row for row in _VERSIONS.list(ids=self.ids)}

    @cached_property
    def version(self) -> str:
        if not self.ids:
            return "none"
        return rows_digest(self._versions.get(pk, (pk, "gone")) for pk in self.ids)

    def entry_version(self, pk: int) -> str:
        """The version of one event's entry (what events/_event_item.html shows of it)."""
        return rows_digest([self._versions.get(pk, (pk, "gone"))])

    def events_among(self, ids) -> list[Event]:
        """The rows of some of the events (those whose entries must be rendered), with their
        host and co-hosts: all of them when the page has read them already."""
        wanted = set(ids)
        if "events" in self.__dict__:
            return [event for event in self.events if event.pk in wanted]
        return with_listing_relations([pk for pk in self.ids if pk in wanted])

    @cached_property
    def events(self) -> list[Event]:
        return with_listing_relations(self.ids)


# Compiled once (cssp_portal.precompiled): a list page's or month's ids are one array.
_REGISTRATIONS_AMONG = Precompiled(
    "registrations among events",
    lambda user_id, ids: Registration.objects.filter(
        user_id=user_id, event__any=ids, state__in=Registration.CURRENT_STATES
    ),
    user_id=int,
    ids=list,
)


def registrations_by_event(user, events) -> dict[int, Registration]:
    """The user's current registration for each of `events` (events or ids), in one query."""
    if not user.is_authenticated:
        return {}
    ids = [getattr(event, "pk", event) for event in events]
    if not ids:
        return {}
    return {
        registration.event_id: registration
        for registration in _REGISTRATIONS_AMONG.list(user_id=user.pk, ids=ids)
    }


def event_registrants(event: Event, states=Registration.CURRENT_STATES) -> list:
    """The people registered for `event` in `states` (by default all current registrations),
    in registration order: whom its emails go to."""
    return [
        registration.user
        for registration in event.registrations.filter(state__in=states).select_related("user")
    ]


def attendance_breakdown(event: Event) -> dict[str, list[tuple[str, int]]]:
    """Who came, counted by organization and by sector (people marked attended)."""
    attended = event.registrations.filter(state=Registration.State.ATTENDED)
    by_org = (
        attended.values("user__organization__name", "user__organization__sector")
        .annotate(n=Count("pk"))
        .order_by("-n", "user__organization__name")
    )
    organizations, sectors = [], {}
    sector_labels = dict(Organization.Sector.choices)
    for row in by_org:
        name = row["user__organization__name"] or _("No organization given")
        organizations.append((name, row["n"]))
        sector = sector_labels.get(row["user__organization__sector"], _("Unknown sector"))
        sectors[sector] = sectors.get(sector, 0) + row["n"]
    return {
        "organizations": organizations,
        "sectors": sorted(sectors.items(), key=lambda pair: (-pair[1], str(pair[0]))),
    }


def _member_event_parts(standing) -> tuple[Q, Q, Q, Q | None]:
    """The three ways an event is one of a member's own: hosted by one of their communities,
    co-hosted by one, registered for; and the visibility condition the last two must meet
    (None: sees every published event). Every published event of one's own host communities
    is visible to its members. `events_of_member_communities` ORs the parts; the home page
    reads each from its own index (`upcoming_events_for_home`)."""
    mine = standing.member_of
    co_hosted = Q(
        pk__in=Event.co_hosts.through.objects.filter(community__any=mine).values("event_id")
    )
    registered = Q(
        pk__in=Registration.objects.filter(
            user_id=standing.user_id, state__in=Registration.CURRENT_STATES
        ).values("event_id")
    )
    return Q(community__any=mine), co_hosted, registered, visible_events_q(standing)


def events_of_member_communities(user) -> QuerySet[Event]:
    """Events of the communities the user belongs to (as host or co-host) and those they
    registered for, published or cancelled, that they may still see. The personal feed and the
    home page use it; private communities stay private since membership is required."""
    standing = standing_of(user)
    if not standing.signed_in:
        return Event.objects.none()
    hosted, co_hosted, registered, visible = _member_event_parts(standing)
    published = Q(status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED])
    elsewhere = co_hosted | registered
    shown = published & (hosted | (elsewhere if visible is None else elsewhere & visible))
    # A cancelled event stays in calendars (marked cancelled) so clients remove it.
    cancelled = Q(status=Event.Status.CANCELLED) & (hosted | elsewhere)
    return Event.objects.filter(shown | cancelled).select_related("community")


# What an event's entry on the home and community pages shows (events/_home_events.html,
# events/_community_events.html).
_ENTRY_FIELDS = (
    "pk",
    "slug",
    "title",
    "event_type",
    "format",
    "start",
    "end",
    "time_zone",
    "status",
)
# What a community page's entries show (events/_community_events.html): the entries' columns
# and whether their outcomes are published (`community_events`). The page keeps the section
# under a digest of these values (portal/views.py).
COMMUNITY_ENTRY_SHOWN = (*_ENTRY_FIELDS, "has_outcomes")


def upcoming_events_for_home(user, limit: int = 5) -> list[Event]:
    """The next published events of the member's communities (or, for visitors, the next
    public ones), each with its host's name and `my_state`: the member's registration state or
    "". One query on PostgreSQL (one per list on SQLite): the entries' columns only, the state
    as a subquery.

    A member's events are a UNION ALL of three short lists, each read from its own index:
    hosted by their communities (events_published_by_community), co-hosted, registered for (from
    their registrations). One OR of the three made PostgreSQL walk every upcoming event in start
    order until it found five of the member's (up to 7 ms of execution for a member of a small
    community). The trade: planning the three branches costs 3-4 ms where the OR cost 1; over
    30 members' pages the mean was the same (3.6 ms), the worst cases fewer (tests/bench)."""
    now = timezone.now()
    if not standing_of(user).signed_in:  # a visitor (or a deactivated account)
        entries = _home_entries(now)
        # Not yet ended, in start order: bounded below by the earliest start among them (found
        # in events_published_by_start alone, which carries the end), PostgreSQL starts its walk
        # of the rows there instead of at the first event ever held (12 ms at 10,000 events).
        earliest = (
            Event.objects.published().filter(end__gte=now).order_by("start").values("start")[:1]
        )
        visible = visible_events_q(user)
        events = entries.filter(start__gte=Subquery(earliest))
        events = events if visible is None else events.filter(visible)
        return list(events.annotate(my_state=Value(""))[:limit])
    if connection.features.supports_slicing_ordering_in_compound:
        rows = _home_events_query(limit).list(user, now=now)
    else:  # SQLite (the embedded default): a query per list
        lists = _home_event_lists(standing_of(user), now, limit)
        rows = [event for part in lists for event in part]
    rows = {event.pk: event for event in rows}.values()  # in two lists: shown once
    return sorted(rows, key=lambda event: (event.start, event.pk))[:limit]


def _home_entries(now) -> QuerySet[Event]:
    """The published events not yet ended, as a home page entry shows them."""
    return (
        Event.objects.filter(status=Event.Status.PUBLISHED, end__gte=now)
        .select_related("community")
        .only(*_ENTRY_FIELDS, "community__name_en", "community__name_fr")
        .order_by("start", "pk")
    )


def _home_event_lists(standing, now, limit: int) -> list[QuerySet[Event]]:
    """A member's next `limit` events hosted by their communities, co-hosted by them, and
    registered for, each with `my_state` (`upcoming_events_for_home`)."""
    hosted, co_hosted, registered, visible = _member_event_parts(standing)
    if visible is not None:
        co_hosted, registered = co_hosted & visible, registered & visible
    mine = (
        Registration.objects.filter(
            event=OuterRef("pk"), user_id=standing.user_id, state__in=Registration.CURRENT_STATES
        )
        .order_by()
        .values("state")[:1]
    )
    entries = _home_entries(now).annotate(my_state=Coalesce(Subquery(mine), Value("")))
    return [entries.filter(part)[:limit] for part in (hosted, co_hosted, registered)]


@functools.cache
def _home_events_query(limit: int) -> StandingQuery:
    """The three lists in one UNION ALL, compiled once per shape of standing (vetted or not,
    sees every event or not): a member's page only sends their id, communities and the time."""

    def build(standing, now):
        first, *others = _home_event_lists(standing, now, limit)
        return first.union(*others, all=True)

    return StandingQuery("home events", build, asks=(VIEW,), now=datetime.datetime)


def community_events(
    user, community: Community, limit: int = 5, *, co_hosts: bool = True
) -> tuple[list, list]:
    """The next `limit` events and the latest `limit` past ones that the user may see and the
    community hosts or co-hosts (community page), each with `has_outcomes` when its outcomes
    are published, the entries' columns only.

    One query on PostgreSQL: a UNION ALL of four short lists (hosted and co-hosted, upcoming
    and past), each read from its own index (the hosted ones from events_published_by_community;
    "hosted OR co-hosted" in one filter made PostgreSQL walk every event in start order to
    find a big community's next five). `co_hosts=False` (the caller knows the community
    co-hosts no event) leaves out the co-hosted lists."""
    now = timezone.now()
    compound = connection.features.supports_slicing_ordering_in_compound
    if compound and standing_of(user).signed_in:
        query = _community_events_query(limit, co_hosts)
        rows = query.list(user, community_id=community.pk, now=now)
    elif compound:
        rows = _public_community_events_query(limit, co_hosts).list(
            community_id=community.pk, now=now
        )
    else:
        # SQLite (the embedded default): the rule narrowed to this host, built each time.
        hosted = events_visible_to(user, host=community)
        co_hosted = events_visible_to(user).filter(pk__in=_co_hosted_by(community.pk))
        lists = _community_event_lists([hosted, co_hosted] if co_hosts else [hosted], now, limit)
        if compound:
            rows = list(lists[0].union(*lists[1:], all=True))
        else:  # SQLite (the embedded default): a query per list
            rows = [event for part in lists for event in part]
    rows = {event.pk: event for event in rows}.values()  # hosted and co-hosted: never both
    return (
        sorted((e for e in rows if e.end >= now), key=lambda e: (e.start, e.pk))[:limit],
        sorted((e for e in rows if e.end < now), key=lambda e: (e.start, e.pk), reverse=True)[
            :limit
        ],
    )


def _co_hosted_by(community_id):
    return Event.co_hosts.through.objects.filter(community_id=community_id).values("event_id")


def _community_event_lists(sources: list[QuerySet[Event]], now, limit: int) -> list[QuerySet]:
    """The next and the latest `limit` events of each source, as an entry shows them."""
    entries = [
        source.annotate(has_outcomes=Exists(_published_outcome())).only(*_ENTRY_FIELDS)
        for source in sources
    ]
    upcoming = [e.filter(end__gte=now).order_by("start", "pk")[:limit] for e in entries]
    past = [e.filter(end__lt=now).order_by("-start", "-pk")[:limit] for e in entries]
    return [*upcoming, *past]


def _community_events_union(who, community_id, now, limit: int, co_hosts: bool) -> QuerySet:
    """The general rule for `who` (events_visible_to) narrowed to the host in SQL: its next
    and latest events, hosted and co-hosted, in one UNION ALL."""
    visible = events_visible_to(who)
    hosted = visible.filter(community_id=community_id)
    co_hosted = visible.filter(pk__in=_co_hosted_by(community_id))
    first, *others = _community_event_lists(
        [hosted, co_hosted] if co_hosts else [hosted], now, limit
    )
    return first.union(*others, all=True)


@functools.cache
def _public_community_events_query(limit: int, co_hosts: bool) -> Precompiled:
    """community_events for signed-out visitors, who all see the same: compiled once."""
    return Precompiled(
        "community events, signed out",
        lambda community_id, now: _community_events_union(
            AnonymousUser(), community_id, now, limit, co_hosts
        ),
        # PostgreSQL planned it on every run (it guesses a generic plan worse for an unknown
        # "now"): 0.9-1.4 ms a run, 0.5-1.0 ms with the generic plan (tests/bench).
        plan="generic",
        community_id=int,
        now=datetime.datetime,
    )


@functools.cache
def _community_events_query(limit: int, co_hosts: bool) -> StandingQuery:
    """A signed-in person's community_events, compiled once per shape of standing: where the
    SQLite path narrows the rule to the host in Python, this narrows it in SQL (the two agree:
    tests/security)."""
    return StandingQuery(
        "community events",
        lambda standing, community_id, now: _community_events_union(
            standing, community_id, now, limit, co_hosts
        ),
        asks=(VIEW,),
        plan="generic",  # as the signed-out visitors' query above
        community_id=int,
        now=datetime.datetime,
    )


def _published_outcome():
    from .models import EventOutcome

    return EventOutcome.objects.filter(event=OuterRef("pk"), published_at__isnull=False)


def past_event_listing(
    user,
    *,
    community: Community | None = None,
    event_type: str = "",
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    mine: bool = False,
) -> QuerySet[Event]:
    """Visible events that are over, those with published outcomes first, then the latest
    first; narrowed as `event_listing` narrows the upcoming ones."""
    events = event_listing(
        user, community=community, event_type=event_type, start=start, end=end, mine=mine
    )
    return (
        events.filter(end__lt=timezone.now())
        .annotate(has_outcomes=Exists(_published_outcome()))
        .order_by("-has_outcomes", "-start", "-pk")
    )


def with_listing_relations_and_outcomes(events) -> list[Event]:
    """`with_listing_relations`, each event with `has_outcomes` (its outcomes published): one
    query more for the page."""
    from .models import EventOutcome

    events = with_listing_relations(events)
    published = set(
        EventOutcome.objects.filter(
            event__in=[getattr(event, "pk", event) for event in events], published_at__isnull=False
        ).values_list("event_id", flat=True)
    )
    for event in events:
        event.has_outcomes = event.pk in published
    return events


def community_outcomes_library(user, community: Community):
    """The published outcomes of the community's past events (hosted or co-hosted) that
    `user` may see, newest event first, each with its event and host."""
    from .models import EventOutcome

    visible = events_visible_to(user).of_community(community).filter(end__lt=timezone.now())
    return (
        EventOutcome.objects.filter(published_at__isnull=False, event__in=visible.values("pk"))
        .select_related("event__community")
        .order_by("-event__start", "-event__pk")
    )
