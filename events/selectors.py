import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from communities.models import Community
from communities.policies import VIEW
from communities.selectors import communities_of_member, communities_visible_to

from .models import Event, Registration


def events_visible_to(user) -> QuerySet[Event]:
    """Published events the user may see: public ones of communities they can see, events for
    all members once signed in, and host-only events of the communities they belong to (as
    host or co-host). Administrators and portfolio managers see every published event.
    Mirrors `policies.can_view_event`."""
    events = Event.objects.published()
    if user.is_authenticated and user.has_perm(VIEW):
        return events
    in_visible_community = Q(community__in=communities_visible_to(user).values("pk"))
    if not user.is_authenticated:
        return events.filter(in_visible_community, visibility=Event.Visibility.PUBLIC)
    mine = communities_of_member(user).values("pk")
    # Uncorrelated subqueries only (PostgreSQL hashes each once): joining the co-hosts here
    # would repeat events and call for a DISTINCT or a pk IN (...) around the whole filter.
    co_hosted_by_mine = Event.co_hosts.through.objects.filter(community__in=mine).values("event_id")
    hosts_only = Q(visibility=Event.Visibility.HOSTS) & (
        Q(community__in=mine) | Q(pk__in=co_hosted_by_mine)
    )
    open_to_members = in_visible_community & Q(
        visibility__in=[Event.Visibility.PUBLIC, Event.Visibility.MEMBERS]
    )
    return events.filter(open_to_members | hosts_only)


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
    events = (
        events_visible_to(user)
        .select_related("community")
        .prefetch_related(Prefetch("co_hosts", queryset=Community.objects.order_by("name")))
    )
    if community is not None:
        events = events.filter(
            pk__in=Event.objects.filter(Q(community=community) | Q(co_hosts=community)).values("pk")
        )
    if mine:
        events = events.filter(pk__in=events_of_member_communities(user).values("pk"))
    if event_type:
        events = events.filter(event_type=event_type)
    if start is not None:
        events = events.filter(end__gte=start)
    if end is not None:
        events = events.filter(start__lt=end)
    return events.order_by("start", "pk")


def registrations_by_event(user, events) -> dict[int, Registration]:
    """The user's current registration for each of `events`, in one query."""
    if not user.is_authenticated:
        return {}
    return {
        registration.event_id: registration
        for registration in Registration.objects.filter(
            user=user,
            event__in=[event.pk for event in events],
            state__in=Registration.CURRENT_STATES,
        )
    }


def events_of_member_communities(user) -> QuerySet[Event]:
    """Events of the communities the user belongs to (as host or co-host) and those they
    registered for, published or cancelled, that they may still see. The personal feed and the
    home page use it; private communities stay private since membership is required."""
    if not user.is_authenticated:
        return Event.objects.none()
    mine = communities_of_member(user).values("pk")
    registered = Registration.objects.filter(
        event=OuterRef("pk"), user=user, state__in=Registration.CURRENT_STATES
    )
    visible = events_visible_to(user).values("pk")
    ours = Q(community__in=mine) | Q(co_hosts__in=mine)
    shown = Event.objects.filter(
        Q(pk__in=visible) & (ours | Exists(registered))
        # A cancelled event stays in calendars (marked cancelled) so clients remove it.
        | Q(status=Event.Status.CANCELLED) & (ours | Exists(registered))
    )
    return Event.objects.filter(pk__in=shown.values("pk")).select_related("community")


def upcoming_events_for_home(user, limit: int = 5) -> list[Event]:
    """The next published events of the member's communities (or, for visitors, the next
    public ones), each with `my_state`: the member's registration state or "". Two queries."""
    if user.is_authenticated:
        events = events_of_member_communities(user).filter(
            status__in=[Event.Status.PUBLISHED], end__gte=timezone.now()
        )
    else:
        events = events_visible_to(user).filter(end__gte=timezone.now()).select_related("community")
    events = list(events.order_by("start", "pk")[:limit])
    states = registrations_by_event(user, events)
    for event in events:
        registration = states.get(event.pk)
        event.my_state = registration.state if registration else ""
    return events


def community_upcoming_events(user, community: Community, limit: int = 5) -> list[Event]:
    """The next events the user may see that the community hosts or co-hosts (community page)."""
    ours = Event.objects.filter(Q(community=community) | Q(co_hosts=community)).values("pk")
    return list(
        events_visible_to(user)
        .filter(pk__in=ours, end__gte=timezone.now())
        .select_related("community")
        .order_by("start", "pk")[:limit]
    )


def community_past_events(user, community: Community, limit: int = 5) -> list[Event]:
    """The latest past events the user may see that the community hosted or co-hosted, each
    with `has_outcomes` when their outcomes are published (community page)."""
    from .models import EventOutcome

    ours = Event.objects.filter(Q(community=community) | Q(co_hosts=community)).values("pk")
    published_outcome = EventOutcome.objects.filter(
        event=OuterRef("pk"), published_at__isnull=False
    )
    return list(
        events_visible_to(user)
        .filter(pk__in=ours, end__lt=timezone.now())
        .annotate(has_outcomes=Exists(published_outcome))
        .select_related("community")
        .order_by("-start", "-pk")[:limit]
    )
