"""Past events beside the upcoming ones, and each community's outcomes library.

Read-only pages over `events_visible_to` (events/policies.py), so a past event shows to exactly
those who may open it; their URLs are in past_urls.py. Past events with published outcomes come
first: they are what a newcomer can learn from.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from communities.policies import community_for_viewing
from communities.selectors import community_choices
from cssp_portal.params import id_or_none
from events import selectors
from events.forms import EventFilterForm

PAST_EVENTS_PER_PAGE = 25
OUTCOMES_PER_PAGE = 10


def _page_number(request) -> int:
    """?page= as a positive number (anything else is the first page)."""
    return id_or_none(request.GET.get("page")) or 1


def past_event_list(request):
    form = EventFilterForm(
        request.GET or None,
        **community_choices(request.user),
        signed_in=request.user.is_authenticated,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start, end = filters.get("start"), filters.get("end")
    events = selectors.past_event_listing(
        request.user,
        community=filters.get("community"),
        event_type=filters.get("type", ""),
        mine=filters.get("mine", False),
        start=datetime.datetime.combine(start, datetime.time.min, zone) if start else None,
        end=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
        if end
        else None,
    )
    page = Paginator(events.values_list("pk", flat=True), PAST_EVENTS_PER_PAGE).get_page(
        _page_number(request)
    )
    return render(
        request,
        "events/past_list.html",
        {
            "events": selectors.with_listing_relations_and_outcomes(page.object_list),
            "page": page,
            "form": form,
            "filtered": bool(filters),
            "query": request.GET.urlencode(),
        },
    )


def community_outcomes(request, slug):
    """The community's outcomes library: its past events (hosted or co-hosted) that the viewer
    may see and whose outcomes are published, newest first."""
    community = community_for_viewing(request, slug=slug)
    outcomes = selectors.community_outcomes_library(request.user, community)
    page = Paginator(outcomes, OUTCOMES_PER_PAGE).get_page(_page_number(request))
    return render(
        request,
        "events/outcomes_library.html",
        {"community": community, "page": page, "outcomes": page.object_list},
    )
