"""The emails events send (autodiscovered by the notifications app)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register

EVENT_REGISTRATION = "events.registration"
EVENT_PROMOTED = "events.promoted"
EVENT_REMINDER = "events.reminder"
EVENT_CHANGED = "events.changed"
EVENT_MESSAGE = "events.message"
EVENT_CO_HOST_REQUEST = "events.co_host_request"

register(
    Kind(
        code=EVENT_REGISTRATION,
        label=_("Event registrations"),
        description=_("Confirmation that you registered for an event or joined its waitlist."),
        template="events/email/registration",
    ),
    Kind(
        code=EVENT_PROMOTED,
        label=_("Seats freed on a waitlist"),
        description=_("A seat freed up and you moved from the waitlist to the attendee list."),
        template="events/email/promoted",
    ),
    Kind(
        code=EVENT_REMINDER,
        label=_("Event reminders"),
        description=_("Reminders before the events you registered for."),
        template="events/email/reminder",
    ),
    Kind(
        code=EVENT_CHANGED,
        label=_("Changed or cancelled events"),
        description=_(
            "An event you registered for changed its date, place or link, or was cancelled."
        ),
        template="events/email/changed",
    ),
    Kind(
        code=EVENT_MESSAGE,
        label=_("Messages from event organizers"),
        description=_("Messages the organizers send to the people registered for their event."),
        template="events/email/message",
    ),
    Kind(
        code=EVENT_CO_HOST_REQUEST,
        label=_("Requests to co-host an event"),
        description=_(
            "Another community asks the community you lead to co-host one of its events."
        ),
        template="events/email/co_host_request",
    ),
)
