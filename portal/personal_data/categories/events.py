"""A person's data in the events app: registrations, the events they created, the documents
they uploaded, and their calendar feed (never its token)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from members.models import User

from . import Category


def _registrations(user: User, seen: dict) -> list[dict]:
    from events.models import Registration

    return [
        {
            "event": r.event.title,
            "event_start": r.event.start,
            "state": r.get_state_display(),
            "attending": r.get_mode_display(),
            "registered": r.created_at,
            "promoted_from_waitlist": r.promoted_at,
            "cancelled": r.cancelled_at,
        }
        for r in Registration.objects.filter(user=user).select_related("event").order_by("pk")
    ]


def _events_created(user: User, seen: dict) -> list[dict]:
    from events.models import Event

    return [
        {"event": e.title, "start": e.start, "status": e.get_status_display()}
        for e in Event.objects.filter(created_by=user).order_by("pk")
    ]


def _event_documents(user: User, seen: dict) -> list[dict]:
    from events.models import EventDocument

    return [
        {"event": d.event.title, "title": d.title, "file_name": d.original_name}
        | {"uploaded": d.created_at}
        for d in EventDocument.objects.filter(uploaded_by=user).select_related("event")
    ]


def _calendar_feed(user: User, seen: dict) -> list[dict]:
    from events.models import CalendarFeed

    # The feed's token is a credential: only that the feed exists, and when it was used.
    return [
        {"created": f.created_at, "last_used": f.last_used_at}
        for f in CalendarFeed.objects.filter(user=user)
    ]


CATEGORIES: tuple[Category, ...] = (
    Category("event_registrations", _("Event registrations"), _registrations),
    Category("events_created", _("Events created"), _events_created),
    Category("event_documents", _("Event documents uploaded"), _event_documents),
    Category("calendar_feed", _("Calendar feed"), _calendar_feed),
)
