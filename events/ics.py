"""iCalendar (RFC 5545) files: one event to download, and a member's personal feed.

Every date carries its event's TZID with the matching VTIMEZONE, so Outlook, Google and Apple
show the right hour on both sides of a daylight-saving change. Text is in the active language.
"""

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import formatting, policies
from .models import Event, Registration

PRODID = "-//CSSP Communities of Practice//Events//EN"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _uid(event: Event) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "localhost"
    return f"event-{event.pk}@{host}"


def _vevent(event: Event, *, user, registration: Registration | None) -> icalendar.Event:
    zone = event.zone
    vevent = icalendar.Event()
    vevent.add("uid", _uid(event))
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.start.astimezone(zone))
    vevent.add("dtend", event.end.astimezone(zone))
    cancelled = event.status == Event.Status.CANCELLED
    title = _("Cancelled: %(title)s") % {"title": event.title} if cancelled else event.title
    vevent.add("summary", title)
    status = {Event.Status.CANCELLED: "CANCELLED", Event.Status.DRAFT: "TENTATIVE"}
    vevent.add("status", status.get(event.status, "CONFIRMED"))
    vevent.add("categories", [event.get_event_type_display()])
    link = _absolute(event.get_absolute_url())
    vevent.add("url", link)
    show_link = event.virtual_link and policies.can_see_virtual_link(user, event, registration)
    place = formatting.event_place(event)
    if event.format != Event.Format.IN_PERSON:
        online = event.virtual_link if show_link else _("Online (link given to registered people)")
        place = f"{place} / {online}" if place else online
    if place:
        vevent.add("location", place)
    lines = [event.summary, ""]
    if registration is not None:
        lines.append(
            _("Your registration: %(state)s") % {"state": registration.get_state_display()}
        )
    if show_link:
        lines.append(_("Meeting link: %(link)s") % {"link": event.virtual_link})
    lines.append(_("Event page: %(link)s") % {"link": link})
    vevent.add("description", "\n".join(lines))
    if registration is not None and registration.state == Registration.State.WAITLISTED:
        vevent.add("transp", "TRANSPARENT")
    return vevent


def calendar_bytes(
    events: Iterable[Event],
    *,
    name: str,
    user,
    registrations: dict[int, Registration] | None = None,
    refresh: bool = False,
) -> bytes:
    registrations = registrations or {}
    calendar = _calendar(name)
    if refresh:
        # How often subscribed clients should poll (Apple and Outlook read these).
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(_vevent(event, user=user, registration=registrations.get(event.pk)))
    # VTIMEZONE definitions for every TZID used, covering a generous span around the events.
    calendar.add_missing_timezones(
        first_date=datetime.date(2000, 1, 1), last_date=datetime.date(2040, 1, 1)
    )
    return calendar.to_ical()
