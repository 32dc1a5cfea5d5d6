from django import template

from notifications.centre import UNREAD_CAP, unread_count

register = template.Library()


@register.filter
def capped_count(count: int) -> str:
    """The header's count as shown: "99+" beyond the cap."""
    return f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The header's unread count for the signed-in person (notifications/centre.py: kept in
    the cache per person, one indexed COUNT on a miss); 0 for visitors, with no query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(request)
