"""The event list and the month calendar: the visible events, filtered."""

import calendar as pycalendar
import datetime
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.selectors import community_choices
from cssp_portal.params import month_or_none
from events import policies, selectors
from events.forms import EventFilterForm
from events.models import Event


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _filters(request):
    form = EventFilterForm(
        request.GET or None,
        **community_choices(request.user),
        signed_in=request.user.is_authenticated,
    )
    return form, (form.cleaned_data if form.is_valid() else {})


EVENTS_PER_PAGE = 25


def event_list(request):
    form, filters = _filters(request)
    zone = _zone()
    start = filters.get("start")
    end = filters.get("end")
    narrowed = {
        "community": filters.get("community"),
        "event_type": filters.get("type", ""),
        "mine": filters.get("mine", False),
    }
    if any(narrowed.values()) or start or end:
        ids = selectors.event_listing(
            request.user,
            **narrowed,
            start=datetime.datetime.combine(start, datetime.time.min, zone)
            if start
            else timezone.now(),
            end=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
            if end
            else None,
        ).values_list("pk", flat=True)
    else:
        # The usual view: its count and first page read by precompiled queries.
        ids = selectors.upcoming_ids(request.user, start=timezone.now(), per_page=EVENTS_PER_PAGE)
    page = Paginator(ids, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    listing = selectors.Listing(page.object_list)
    return render(
        request,
        "events/event_list.html",
        {
            "listing": listing,
            "page": page,
            "registrations": selectors.registrations_by_event(request.user, listing.ids),
            "form": form,
            "filtered": bool(filters),
            "calendar_url": reverse("events:calendar"),
            "answers_co_hostings": policies.answers_co_hostings(request),
            "query": request.GET.urlencode(),
        },
    )


def event_calendar(request):
    """A month grid (weeks starting on Sunday, Canadian usage); ?month=YYYY-MM."""
    form, filters = _filters(request)
    zone = _zone()
    today = timezone.localdate()
    asked = request.GET.get("month")
    first = month_or_none(asked)
    if first is None:
        if asked:
            messages.warning(
                request,
                _("That month cannot be shown (use YYYY-MM, e.g. %(example)s): here is this month.")
                % {"example": today.strftime("%Y-%m")},
            )
        first = today.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    listing = selectors.Listing(
        selectors.month_event_ids(
            request.user,
            community=filters.get("community"),
            event_type=filters.get("type", ""),
            mine=filters.get("mine", False),
            start=datetime.datetime.combine(first, datetime.time.min, zone),
            end=datetime.datetime.combine(
                last + datetime.timedelta(days=1), datetime.time.min, zone
            ),
        )
    )
    grid = pycalendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)

    def weeks():
        # Called by the template only when the month's fragment is not kept.
        by_day: dict[datetime.date, list[Event]] = {}
        for event in listing.events:
            day = max(timezone.localtime(event.start, zone).date(), first)
            end_day = min(timezone.localtime(event.end, zone).date(), last)
            while day <= end_day:
                by_day.setdefault(day, []).append(event)
                day += datetime.timedelta(days=1)
        return [
            [
                {"date": day, "in_month": day.month == first.month, "events": by_day.get(day, [])}
                for day in week
            ]
            for week in grid
        ]

    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    params = request.GET.copy()
    params.pop("month", None)
    extra = f"&{params.urlencode()}" if params else ""
    return render(
        request,
        "events/event_calendar.html",
        {
            "form": form,
            "month": first,
            "weeks": weeks,
            "listing": listing,
            "today": today,
            "previous_url": f"?month={previous:%Y-%m}{extra}",
            "next_url": f"?month={following:%Y-%m}{extra}",
            "weekdays": grid[0],
        },
    )
