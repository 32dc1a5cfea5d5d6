from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The header's unread count for the signed-in person (notifications/centre.py: kept in
    the cache per person, one indexed COUNT on a miss); 0 for visitors, with no query."""
    from notifications.centre import unread_count

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(request)
