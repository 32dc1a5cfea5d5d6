from django import template

from events import formatting
from events.models import TIME_ZONE_CHOICES, Registration

register = template.Library()


@register.filter
def event_when(event) -> str:
    return formatting.event_when(event)


@register.filter
def moment_in_zone(value, zone: str) -> str:
    if not value:
        return ""
    return formatting.moment_in_zone(value, zone)


@register.filter
def event_place(event) -> str:
    return formatting.event_place(event)


@register.filter
def zone_label(zone: str) -> str:
    return dict(TIME_ZONE_CHOICES).get(zone, zone)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def registration_of(event, user):
    """The person's current registration for the event (emails render per recipient)."""
    if event is None or user is None:
        return None
    return event.registrations.filter(user=user, state__in=Registration.CURRENT_STATES).first()


@register.filter
def registration_states(registrations: dict) -> str:
    """The viewer's registration state for each listed event, for a fragment cache key: the
    list shows "You are registered" or "waitlist" beside each event."""
    return ",".join(f"{pk}:{r.state}" for pk, r in sorted(registrations.items()))
