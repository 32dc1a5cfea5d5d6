"""What calendar clients read: an event's .ics file and the member's personal feed.

The iCalendar writer (`events.ics`, and the icalendar library's 85 modules, 2.3 MiB) is
imported by the two views that answer with a file, when one is first asked for: the pages
every web worker serves never need it."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events import policies, selectors
from events.models import CalendarFeed
from events.services.calendar_feed import calendar_feed_get_or_create, calendar_feed_revoke


def event_ics(request, slug):
    from events import ics

    event = policies.event_for_viewing(request, slug=slug)
    registrations = selectors.registrations_by_event(request.user, [event])
    body = ics.calendar_bytes(
        [event], name=event.title, user=request.user, registrations=registrations
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def calendar_feed(request, token):
    """The personal feed a calendar client polls: no session, the secret token identifies the
    member; text in the member's language whatever the address's language prefix."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    from events import ics

    user = feed.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        since = timezone.now() - datetime.timedelta(days=92)
        events = list(
            selectors.events_of_member_communities(user).filter(end__gte=since).order_by("start")
        )
        body = ics.calendar_bytes(
            events,
            name=_("CSSP events"),
            user=user,
            registrations=selectors.registrations_by_event(user, events),
            refresh=True,
        )
    now = timezone.now()
    if not feed.last_used_at or now - feed.last_used_at > datetime.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cssp-events.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
def feed_settings(request):
    if request.method == "POST":
        calendar_feed_revoke(user=request.user)
        messages.success(
            request,
            _("Your calendar address was replaced. Subscribe again with the new address."),
        )
        return redirect("events:feed_settings")
    feed = calendar_feed_get_or_create(user=request.user)
    with translation.override(None):
        path = reverse("events:feed", args=[feed.token])
    feed_url = request.build_absolute_uri(path)
    return render(
        request,
        "events/feed_settings.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        },
    )
