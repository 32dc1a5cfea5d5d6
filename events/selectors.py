from django.db.models import Q, QuerySet

from communities.policies import VIEW
from communities.selectors import communities_of_member, communities_visible_to

from .models import Event


def events_visible_to(user) -> QuerySet[Event]:
    """Published events the user may see: public ones of communities they can see, events for
    all members once signed in, and host-only events of the communities they belong to (as
    host or co-host). Administrators and portfolio managers see every published event."""
    events = Event.objects.published()
    if user.is_authenticated and user.has_perm(VIEW):
        return events
    events = events.filter(community__in=communities_visible_to(user).values("pk"))
    if not user.is_authenticated:
        return events.filter(visibility=Event.Visibility.PUBLIC)
    mine = communities_of_member(user).values("pk")
    hosts_only = Q(visibility=Event.Visibility.HOSTS) & (
        Q(community__in=mine) | Q(co_hosts__in=mine)
    )
    open_to_members = Q(visibility__in=[Event.Visibility.PUBLIC, Event.Visibility.MEMBERS])
    return events.filter(open_to_members | hosts_only).distinct()
