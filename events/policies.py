"""Every permission decision about events.

An event belongs to its host community: the host's leads and co-leads (and administrators)
manage it. Who may see it follows its visibility, within what the host community lets the person
see; a draft exists only for those who manage it. Callers answer 404 when `can_view_event` is
False and 403 for the other refusals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from communities.policies import (
    PARTICIPATE,
    VIEW,
    can_manage_community,
    can_view_community,
)

if TYPE_CHECKING:
    from communities.models import Community

    from .models import Event


def can_create_event(user, community: Community) -> bool:
    """Leads and co-leads create events for their own community; administrators for any."""
    return can_manage_community(user, community)


def can_manage_event(user, event: Event) -> bool:
    """Edit, publish, cancel, copy, see the attendee list, mark attendance, message the
    registrants and record the outcomes: the host community's leads and administrators."""
    return can_manage_community(user, event.community)


def _belongs_to_a_host(user, event: Event, perm: str = VIEW) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    hosts = [event.community, *event.co_hosts.all()]
    return any(user.has_perm(perm, community) for community in hosts)


def can_view_event(user, event: Event) -> bool:
    """Drafts: only those who manage the event. Otherwise public events are visible to anyone
    who may see the host community, "all members" events to signed-in people, host-only events
    to the members of the host and co-host communities. Portfolio managers and administrators
    see every event that is not a draft."""
    from .models import Event

    if can_manage_event(user, event):
        return True
    if event.status == Event.Status.DRAFT:
        return False
    if user.is_authenticated and user.is_active and user.has_perm(VIEW):
        return True
    if event.visibility == Event.Visibility.HOSTS:
        return _belongs_to_a_host(user, event)
    if not can_view_community(user, event.community):
        return False
    if event.visibility == Event.Visibility.PUBLIC:
        return True
    return bool(user.is_authenticated and user.is_active)


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
    from .models import Event

    if not user.is_authenticated or not user.is_active:
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
