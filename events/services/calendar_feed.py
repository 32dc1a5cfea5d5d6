"""A member's personal calendar feed: its secret address, and replacing it."""

from django.db import transaction

from events.models import CalendarFeed, _feed_token
from members.models import User


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """Replace the feed's secret: the old address stops working at once."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    feed.token = _feed_token()
    feed.last_used_at = None
    feed.save(update_fields=["token", "last_used_at"])
    return feed
