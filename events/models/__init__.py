"""The events app's models, one module per sub-domain. Django finds them all here."""

from .calendar_feed import CalendarFeed, _feed_token
from .co_hosting import CoHosting
from .event import TIME_ZONE_CHOICES, Event, EventQuerySet, EventReminder
from .outcome import EventDocument, EventOutcome, _document_path
from .registration import Registration

__all__ = [
    "TIME_ZONE_CHOICES",
    "CalendarFeed",
    "CoHosting",
    "Event",
    "EventDocument",
    "EventOutcome",
    "EventQuerySet",
    "EventReminder",
    "Registration",
    # Named by the migrations as events.models.<name>.
    "_document_path",
    "_feed_token",
]
