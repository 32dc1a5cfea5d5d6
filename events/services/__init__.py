"""Writes with consequences on events, one module per sub-domain: an event's lifecycle as its
leads run it, co-hosting, registration and the waitlist, the attendee tools, reminders,
outcomes and the personal calendar feed.

The public services are re-exported here for callers outside the app; the app's own code
imports them from their module.
"""

from .attendees import event_message_registrants, registrations_mark_attendance
from .calendar_feed import calendar_feed_get_or_create, calendar_feed_revoke
from .co_hosting import co_hosting_answer, co_hosts_request
from .lifecycle import event_cancel, event_copy, event_create, event_publish, event_update
from .outcomes import document_add, outcome_save
from .registration import event_register, registration_cancel
from .reminders import event_reminders_send_due

__all__ = [
    "calendar_feed_get_or_create",
    "calendar_feed_revoke",
    "co_hosting_answer",
    "co_hosts_request",
    "document_add",
    "event_cancel",
    "event_copy",
    "event_create",
    "event_message_registrants",
    "event_publish",
    "event_register",
    "event_reminders_send_due",
    "event_update",
    "outcome_save",
    "registration_cancel",
    "registrations_mark_attendance",
]
