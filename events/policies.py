"""Every permission decision about events.

An event belongs to its host community: the host's leads and co-leads (and administrators)
manage it. Who may see it follows its visibility, within what the host community lets the person
see; a draft exists only for those who manage it. Callers answer 404 when `can_view_event` is
False and 403 for the other refusals.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from communities.access import MANAGE, PARTICIPATE, VIEW, standing_of
from communities.models import Community, Membership
from communities.policies import (
    can_manage_community,
    can_view_community,
    communities_visible_to,
)
from cssp_portal.collation import order_by_name
from cssp_portal.precompiled import Precompiled

from .models import CoHosting, Event


def can_create_event(user, community: Community) -> bool:
    """Leads and co-leads create events for their own community; administrators for any."""
    return can_manage_community(user, community)


def can_manage_event(user, event: Event) -> bool:
    """Edit, publish, cancel, copy, see the attendee list, mark attendance, message the
    registrants and record the outcomes: the host community's leads and administrators."""
    return can_manage_community(user, event.community)


def _belongs_to_a_host(user, event: Event, perm: str = VIEW) -> bool:
    standing = standing_of(user)
    if not standing.signed_in:
        return False
    if standing.has(perm, event.community_id):
        return True
    return any(standing.has(perm, community.pk) for community in event.co_hosts.all())


def can_view_event(user, event: Event) -> bool:
    """Drafts: only those who manage the event. Otherwise public events are visible to anyone
    who may see the host community, "all members" events to vetted members (not guests),
    host-only events to the members of the host and co-host communities. Portfolio managers
    and administrators see every event that is not a draft."""
    if can_manage_event(user, event):
        return True
    if event.status == Event.Status.DRAFT:
        return False
    if standing_of(user).has_global(VIEW):
        return True
    if event.visibility == Event.Visibility.HOSTS:
        return _belongs_to_a_host(user, event)
    if not can_view_community(user, event.community):
        return False
    if event.visibility == Event.Visibility.PUBLIC:
        return True
    return standing_of(user).vetted


def visible_events_q(who, host: Community | None = None) -> Q | None:
    """The condition on an event (whatever its status) that `who` may see it under
    `can_view_event`'s rules for published events; None when `who` sees them all.

    With `host`: the condition that the event is hosted by `host` and `who` may see it, the
    same rules read for one host already in hand (a community's page): whether `who` sees the
    host and belongs to it is known from the standing, so the condition needs no subquery over
    every community (about 2 ms less to build and plan for a community page's events)."""
    standing = standing_of(who)
    if standing.has_global(VIEW):
        return None if host is None else Q(community=host)
    if host is None:
        in_visible_community = Q(community__in=communities_visible_to(standing).values("pk"))
    elif can_view_community(standing, host):
        in_visible_community = Q(community=host)
    else:
        in_visible_community = None
    if not standing.signed_in:
        if in_visible_community is None:
            return Q(pk__in=[])
        return in_visible_community & Q(visibility=Event.Visibility.PUBLIC)
    mine = standing.member_of
    # Uncorrelated subqueries only (PostgreSQL hashes each once): joining the co-hosts here
    # would repeat events and call for a DISTINCT or a pk IN (...) around the whole filter.
    co_hosted_by_mine = Event.co_hosts.through.objects.filter(community__any=mine).values(
        "event_id"
    )
    if host is None:
        hosts_only = Q(visibility=Event.Visibility.HOSTS) & (
            Q(community__any=mine) | Q(pk__in=co_hosted_by_mine)
        )
    elif host.pk in mine:
        hosts_only = Q(community=host, visibility=Event.Visibility.HOSTS)
    else:
        hosts_only = Q(community=host, visibility=Event.Visibility.HOSTS) & Q(
            pk__in=co_hosted_by_mine
        )
    if in_visible_community is None:
        return hosts_only
    # Guests see the public events only; "all members" events are for vetted members.
    open_to = [Event.Visibility.PUBLIC, Event.Visibility.MEMBERS]
    open_to_members = in_visible_community & Q(
        visibility__in=open_to if standing.vetted else open_to[:1]
    )
    return open_to_members | hosts_only


def events_visible_to(who, *, host: Community | None = None) -> QuerySet[Event]:
    """Published events `who` may see: public ones of communities they can see, events for
    all members for vetted members, and host-only events of the communities they belong to (as
    host or co-host). Administrators and portfolio managers see every published event. Agrees
    with `can_view_event` on published events (drafts are listed only to their managers).
    With `host`, only those `host` hosts (not those it co-hosts)."""
    condition = visible_events_q(who, host)
    events = Event.objects.published()
    return events if condition is None else events.filter(condition)


def can_download_document(user, document) -> bool:
    """An outcome document is read by whoever sees the event once its outcomes are published;
    before that, only by those who manage the event."""
    from .models import EventOutcome

    event = document.event
    if can_manage_event(user, event):
        return True
    published = EventOutcome.objects.filter(event=event, published_at__isnull=False).exists()
    return published and can_view_event(user, event)


def can_register(user, event: Event) -> bool:
    """A signed-in person who may see a published event may register, except that a host-only
    event takes only participating members of the host communities (observers only read).
    Whether registration is open (window, start, status) is the service's business."""
    if not standing_of(user).signed_in:
        return False
    if event.status != Event.Status.PUBLISHED or not can_view_event(user, event):
        return False
    if event.visibility == Event.Visibility.HOSTS:
        return can_manage_event(user, event) or _belongs_to_a_host(user, event, PARTICIPATE)
    return True


def can_see_virtual_link(user, event: Event, registration=None) -> bool:
    """The meeting link is for confirmed registrants and the event's managers only."""
    from .models import Registration

    if can_manage_event(user, event):
        return True
    return registration is not None and registration.state in (
        Registration.State.CONFIRMED,
        Registration.State.ATTENDED,
    )


# --- Co-hosting: asked, answered by the named community's leads ----------------------------------


def co_host_choices(who, host: Community, event: Event | None = None) -> QuerySet[Community]:
    """The communities `who` may name as co-hosts of an event of `host`: the active ones they
    can see (a members-only community they cannot see is not even offered), plus those already
    asked or accepting for `event` (so saving the form never drops them silently)."""
    visible = Q(pk__in=communities_visible_to(who).values("pk"), status=Community.Status.ACTIVE)
    if event is not None and event.pk:
        visible |= Q(
            pk__in=CoHosting.objects.filter(
                event=event, state__in=[CoHosting.State.REQUESTED, CoHosting.State.ACCEPTED]
            ).values("community_id")
        )
    return order_by_name(Community.objects.filter(visible).exclude(pk=host.pk), "name")


def can_answer_co_hosting(who, co_hosting: CoHosting) -> bool:
    """Only the leads and co-leads of the community asked to co-host (and administrators)
    accept, decline or withdraw; the host's leads never answer for it."""
    return can_manage_community(who, co_hosting.community)


def answers_co_hostings(who) -> bool:
    """Whether `who` leads a community (or administers the portal), so may be asked to co-host:
    read from the standing, no query."""
    standing = standing_of(who)
    return standing.has_global(MANAGE) or bool(standing.community_ids_with(MANAGE))


def co_hostings_answerable_by(who) -> QuerySet[CoHosting]:
    """The co-hosting requests `who` answers (agrees with `can_answer_co_hosting`)."""
    standing = standing_of(who)
    rows = CoHosting.objects.all()
    if standing.has_global(MANAGE):
        return rows
    return rows.filter(community__in=standing.community_ids_with(MANAGE))


def withheld_registrants(who, event: Event) -> frozenset[int]:
    """The people (user ids) among `event`'s registrants whose details `who`, a manager of the
    event, may not read: attendee data of a co-host's members goes only to managers allowed
    by both communities. A host-only event is open to the members of its co-hosts, so a
    registrant who belongs to a co-host that has not accepted (asked, declined, withdrawn) and
    to no community that has (the host, an accepting co-host) is withheld, unless `who` leads
    that co-host or sees every community (administrators, portfolio managers). Two queries."""
    standing = standing_of(who)
    if event.visibility != Event.Visibility.HOSTS or standing.has_global(VIEW):
        return frozenset()
    not_consenting = (
        CoHosting.objects.filter(event=event)
        .exclude(state=CoHosting.State.ACCEPTED)
        .exclude(community__in=standing.community_ids_with(MANAGE))
        .values("community_id")
    )
    registrants = event.registrations.values("user_id")
    active = Membership.objects.filter(state=Membership.State.ACTIVE, user__in=registrants)
    through = set(
        active.filter(community__in=not_consenting).values_list("user_id", flat=True).distinct()
    )
    if not through:
        return frozenset()
    consenting = Q(community=event.community_id) | Q(
        community__in=CoHosting.objects.filter(event=event, state=CoHosting.State.ACCEPTED).values(
            "community_id"
        )
    )
    covered = set(active.filter(consenting, user__in=through).values_list("user_id", flat=True))
    return frozenset(through - covered)


# --- Accessors: fetch and check in one call ------------------------------------------------------


def event_by_slug(events: Callable[[], QuerySet[Event]] = Event.objects.all):
    """A query of one event by its slug, with its community, compiled once
    (cssp_portal.precompiled); `events` adds what a page reads with it."""
    return Precompiled(
        "event by slug",
        lambda slug: events().select_related("community").filter(slug=slug),
        slug=str,
    )


_EVENT_BY_SLUG = event_by_slug()


def event_for_viewing(
    who,
    *,
    slug: str,
    read: Precompiled | None = None,
    ready: Callable[[Event], None] | None = None,
) -> Event:
    """The event, or 404 when it does not exist or `who` may not see it. `read` (from
    `event_by_slug`) reads it with what a page needs besides its columns; `ready` completes
    the instance from what `read` annotated (before the check reads it)."""
    event = (read or _EVENT_BY_SLUG).first(slug=slug)
    if event is not None and ready is not None:
        ready(event)
    if event is None or not can_view_event(who, event):
        raise Http404
    return event


def event_for_managing(who, *, slug: str) -> Event:
    """The event `who` manages: 404 to those who may not see it, 403 to those who see it but
    do not manage it."""
    event = event_for_viewing(who, slug=slug)
    if not can_manage_event(who, event):
        raise PermissionDenied
    return event


def community_for_new_event(who, *, slug: str) -> Community:
    """The community `who` creates an event in: 404 unseen, 403 not a lead."""
    community = Community.objects.filter(slug=slug).first()
    if community is None or not can_view_community(who, community):
        raise Http404
    if not can_create_event(who, community):
        raise PermissionDenied
    return community


def co_hosting_for_answering(who, *, pk: int) -> CoHosting:
    """The co-hosting request `who` answers, or 404: its existence (and the event's) is
    private to the asked community's leads and the host's."""
    co_hosting = (
        CoHosting.objects.select_related("event__community", "community", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if co_hosting is None or not can_answer_co_hosting(who, co_hosting):
        raise Http404
    return co_hosting
