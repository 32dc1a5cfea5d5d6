import calendar as pycalendar
import datetime
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from communities.selectors import communities_visible_to
from cssp_portal.collation import order_by_name
from cssp_portal.csv_export import csv_response
from cssp_portal.errors import first_message
from cssp_portal.params import id_or_none, month_or_none
from cssp_portal.uploads import download_response
from events import ics, policies, selectors, services
from events.forms import (
    DocumentForm,
    EventFilterForm,
    EventForm,
    MessageForm,
    OutcomeForm,
    RegistrationForm,
)
from events.models import CalendarFeed, CoHosting, Event, EventDocument, EventOutcome, Registration


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- Members: list, calendar, detail -----------------------------------------------------------


def _filters(request):
    form = EventFilterForm(
        request.GET or None,
        communities=order_by_name(communities_visible_to(request.user), "name"),
        signed_in=request.user.is_authenticated,
    )
    return form, (form.cleaned_data if form.is_valid() else {})


EVENTS_PER_PAGE = 25


def event_list(request):
    form, filters = _filters(request)
    zone = _zone()
    start = filters.get("start")
    end = filters.get("end")
    events = selectors.event_listing(
        request.user,
        community=filters.get("community"),
        event_type=filters.get("type", ""),
        mine=filters.get("mine", False),
        start=datetime.datetime.combine(start, datetime.time.min, zone)
        if start
        else timezone.now(),
        end=datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
        if end
        else None,
    )
    page = Paginator(events.values_list("pk", flat=True), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
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
        selectors.event_listing(
            request.user,
            community=filters.get("community"),
            event_type=filters.get("type", ""),
            mine=filters.get("mine", False),
            start=datetime.datetime.combine(first, datetime.time.min, zone),
            end=datetime.datetime.combine(
                last + datetime.timedelta(days=1), datetime.time.min, zone
            ),
        ).values_list("pk", flat=True)[:500]
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


def event_detail(request, slug):
    event = policies.event_for_viewing(
        request, slug=slug, queryset=Event.objects.prefetch_related("co_hosts", "documents")
    )
    registration = None
    if request.user.is_authenticated:
        registration = event.registrations.filter(
            user=request.user, state__in=Registration.CURRENT_STATES
        ).first()
    can_manage = policies.can_manage_event(request.user, event)
    outcome = EventOutcome.objects.filter(event=event).first()
    taken = event.registrations.seats_taken()
    seats = [
        {
            "mode": Registration.Mode(mode).label,
            "capacity": event.capacity_for(mode),
            "taken": taken[mode],
            "left": max(event.capacity_for(mode) - taken[mode], 0)
            if event.capacity_for(mode) is not None
            else None,
        }
        for mode in event.registration_modes
    ]
    waitlist_position = None
    if registration and registration.state == Registration.State.WAITLISTED:
        waitlist_position = (
            event.registrations.filter(
                state=Registration.State.WAITLISTED,
                mode=registration.mode,
                created_at__lte=registration.created_at,
            )
            .exclude(created_at=registration.created_at, pk__gt=registration.pk)
            .count()
        )
    form = RegistrationForm(initial={"mode": event.registration_modes[0]})
    form.fields["mode"].choices = [
        (mode, Registration.Mode(mode).label) for mode in event.registration_modes
    ]
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "waitlist_position": waitlist_position,
            "can_manage": can_manage,
            "can_register": policies.can_register(request.user, event),
            "closed_reason": event.registration_closed_reason(),
            "started": event.start <= timezone.now(),
            "show_link": policies.can_see_virtual_link(request.user, event, registration),
            "seats": seats,
            "registration_form": form,
            "hybrid": event.format == Event.Format.HYBRID,
            "outcome": outcome if outcome and (outcome.is_published or can_manage) else None,
            "breakdown": selectors.attendance_breakdown(event)
            if outcome and outcome.is_published
            else None,
            "co_hostings": order_by_name(
                event.co_hostings.select_related("community"), "community__name"
            )
            if can_manage
            else (),
            "login_url": f"{reverse('account_login')}?next={request.path}",
            "date_modified": event.updated_at,
        },
    )


# --- Members: register, cancel, calendars ------------------------------------------------------


@login_required
@require_POST
def event_register(request, slug):
    event = policies.event_for_viewing(request, slug=slug)
    if not policies.can_register(request.user, event):
        raise PermissionDenied
    try:
        registration = services.event_register(
            event=event, user=request.user, mode=request.POST.get("mode", "")
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        if registration.state == Registration.State.CONFIRMED:
            messages.success(
                request, _("You are registered. A confirmation is on its way by email.")
            )
        else:
            messages.info(
                request,
                _(
                    "The event is full: you are on the waitlist. If a seat frees up, it is "
                    "yours automatically and we will tell you by email."
                ),
            )
    return redirect(event)


@login_required
@require_POST
def event_unregister(request, slug):
    event = policies.event_for_viewing(request, slug=slug)
    registration = event.registrations.filter(
        user=request.user,
        state__in=(Registration.State.CONFIRMED, Registration.State.WAITLISTED),
    ).first()
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("Your registration was cancelled."))
    return redirect(event)


def event_ics(request, slug):
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
        services.calendar_feed_revoke(user=request.user)
        messages.success(
            request,
            _("Your calendar address was replaced. Subscribe again with the new address."),
        )
        return redirect("events:feed_settings")
    feed = services.calendar_feed_get_or_create(user=request.user)
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


# --- Leads: create, edit, publish, cancel, copy ------------------------------------------------


@login_required
def event_create(request, community_slug):
    community = policies.community_for_new_event(request, slug=community_slug)
    form = EventForm(request.POST or None, community=community, by=request)
    if request.method == "POST" and form.is_valid():
        event = services.event_create(
            event=form.save(commit=False),
            community=community,
            by=request.user,
            co_hosts=form.cleaned_data["co_hosts"],
            reminder_hours=form.cleaned_data["reminder_hours"],
        )
        messages.success(request, _("The event was saved as a draft. Publish it when it is ready."))
        return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "community": community, "event": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def event_edit(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    if event.status in (Event.Status.CANCELLED, Event.Status.COMPLETED):
        messages.error(request, _("A cancelled or completed event can no longer be changed."))
        return redirect(event)
    form = EventForm(request.POST or None, instance=event, community=event.community, by=request)
    if not request.POST:
        # Asked and accepting co-hosts stay ticked: unticking one cancels its request or ends
        # its co-hosting.
        form.initial["co_hosts"] = list(
            event.co_hostings.filter(state__in=CoHosting.LIVE_STATES).values_list(
                "community_id", flat=True
            )
        )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(
                event=form.save(commit=False),
                by=request.user,
                co_hosts=form.cleaned_data["co_hosts"],
                reminder_hours=form.cleaned_data["reminder_hours"],
            )
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, _("The event was updated."))
        return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "community": event.community, "event": event},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def event_publish(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    try:
        services.event_publish(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("The event is published."))
    return redirect(event)


@login_required
def event_cancel(request, slug):
    """A confirmation page, then the cancellation (registrants are told by email)."""
    event = policies.event_for_managing(request, slug=slug)
    if request.method == "POST":
        try:
            services.event_cancel(event=event, by=request.user)
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, _("The event was cancelled and its registrants told."))
        return redirect(event)
    registrants = event.registrations.filter(state__in=Registration.AUDIENCES["all"]).count()
    return render(request, "events/event_cancel.html", {"event": event, "registrants": registrants})


@login_required
@require_POST
def event_copy(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    copy = services.event_copy(event=event, by=request.user)
    messages.success(request, _("A draft copy was created. Set its dates, then publish it."))
    return redirect("events:edit", slug=copy.slug)


# --- Co-hosts' leads: answer the requests to co-host -----------------------------------------

CO_HOSTINGS_PER_PAGE = 25


@login_required
def co_hosting_list(request):
    """The requests to co-host sent to the communities the person leads: those awaiting an
    answer first, then the events they co-host, then the past answers."""
    order = {CoHosting.State.REQUESTED: 0, CoHosting.State.ACCEPTED: 1}
    rows = (
        policies.co_hostings_answerable_by(request)
        .select_related("event__community", "community")
        .annotate(
            rank=models.Case(
                *[models.When(state=state, then=models.Value(n)) for state, n in order.items()],
                default=models.Value(2),
            )
        )
        .order_by("rank", "-requested_at", "-pk")
    )
    page = Paginator(rows, CO_HOSTINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/co_hosting_list.html", {"page": page})


@login_required
def co_hosting(request, pk):
    """One request to co-host: what the event is and who asks, and the answers its state
    allows (accept or decline a request, withdraw from an accepted one)."""
    co_hosting = policies.co_hosting_for_answering(request, pk=id_or_none(pk) or 0)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            services.co_hosting_answer(co_hosting=co_hosting, by=request.user, decision=decision)
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, CO_HOSTING_DONE[decision]())
        return redirect(co_hosting)
    return render(
        request,
        "events/co_hosting.html",
        {
            "co_hosting": co_hosting,
            "event": co_hosting.event,
            "decisions": co_hosting.allowed_decisions(),
        },
    )


CO_HOSTING_DONE = {
    "accept": lambda: _("Your community now co-hosts this event."),
    "decline": lambda: _("You declined to co-host this event."),
    "withdraw": lambda: _("Your community no longer co-hosts this event."),
}


# --- Leads: attendees, attendance, messages, outcomes ------------------------------------------


def _with_withheld(request, event, registrations) -> list[Registration]:
    """The registrations, each marked `withheld` when the viewer may not read its person's
    details (policies.withheld_registrants)."""
    withheld = policies.withheld_registrants(request, event)
    registrations = list(registrations)
    for registration in registrations:
        registration.withheld = registration.user_id in withheld
    return registrations


@login_required
def attendees(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    registrations = _with_withheld(
        request,
        event,
        event.registrations.select_related("user__organization").order_by("created_at", "pk"),
    )
    seated = [r for r in registrations if r.state in Registration.SEATED_STATES]
    waitlist = [r for r in registrations if r.state == Registration.State.WAITLISTED]
    cancelled = [r for r in registrations if r.state == Registration.State.CANCELLED]
    return render(
        request,
        "events/attendees.html",
        {
            "event": event,
            "seated": seated,
            "waitlist": waitlist,
            "cancelled": cancelled,
            "can_mark": event.start <= timezone.now(),
            "message_form": MessageForm(),
            "withheld_count": sum(1 for r in registrations if r.withheld),
        },
    )


@login_required
def attendees_csv(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    registrations = _with_withheld(
        request,
        event,
        event.registrations.select_related("user__organization").order_by("created_at", "pk"),
    )
    positions: dict[str, int] = {}

    def rows():
        for r in registrations:
            position = ""
            if r.state == Registration.State.WAITLISTED:
                positions[r.mode] = positions.get(r.mode, 0) + 1
                position = positions[r.mode]
            if r.withheld:
                yield [
                    _("Details withheld"),
                    "",
                    "",
                    "",
                    "",
                    r.get_state_display(),
                    position,
                    r.get_mode_display(),
                    timezone.localtime(r.created_at, event.zone).strftime("%Y-%m-%d %H:%M"),
                ]
                continue
            organization = r.user.organization
            yield [
                r.user.last_name,
                r.user.first_name,
                r.user.email,
                organization.name if organization else "",
                organization.get_sector_display() if organization else "",
                r.get_state_display(),
                position,
                r.get_mode_display(),
                timezone.localtime(r.created_at, event.zone).strftime("%Y-%m-%d %H:%M"),
            ]

    return csv_response(
        f"{event.slug}-attendees.csv",
        [
            _("Last name"),
            _("First name"),
            _("Email address"),
            _("Organization"),
            _("Sector"),
            _("State"),
            _("Waitlist position"),
            _("Attending"),
            _("Registered"),
        ],
        rows(),
    )


@login_required
@require_POST
def attendance(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    try:
        count = services.registrations_mark_attendance(
            event=event,
            by=request.user,
            # "²" passes str.isdigit() and a 30-digit number overflows the column: neither is
            # an id of ours.
            attended_ids=[
                pk for pk in map(id_or_none, request.POST.getlist("attended")) if pk is not None
            ],
        )
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(count)d person attended.",
                "Attendance saved: %(count)d people attended.",
                count,
            )
            % {"count": count},
        )
    return redirect("events:attendees", slug=event.slug)


@login_required
def attendee_remove(request, slug, pk):
    """A confirmation page, then the cancellation of someone's registration by the organizers
    (the first waitlisted person takes the freed seat)."""
    event = policies.event_for_managing(request, slug=slug)
    registration = get_object_or_404(
        event.registrations.select_related("user"),
        pk=pk,
        state__in=(Registration.State.CONFIRMED, Registration.State.WAITLISTED),
    )
    if registration.user_id in policies.withheld_registrants(request, event):
        raise Http404
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(
                request,
                _("The registration of %(name)s was cancelled.")
                % {"name": registration.user.get_full_name() or registration.user.email},
            )
        return redirect("events:attendees", slug=event.slug)
    return render(
        request,
        "events/attendee_remove.html",
        {"event": event, "registration": registration},
    )


@login_required
def message_registrants(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.event_message_registrants(
            event=event, by=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            ngettext(
                "Your message was sent to %(count)d person.",
                "Your message was sent to %(count)d people.",
                count,
            )
            % {"count": count},
        )
        return redirect("events:attendees", slug=event.slug)
    return render(
        request,
        "events/message.html",
        {"event": event, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def outcomes(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    outcome = EventOutcome.objects.filter(event=event).first() or EventOutcome(event=event)
    form = OutcomeForm(request.POST or None, instance=outcome)
    document_form = DocumentForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_save(
                outcome=form.save(commit=False),
                by=request.user,
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, _("The outcomes were saved."))
            return redirect(event)
    return render(
        request,
        "events/outcomes.html",
        {
            "event": event,
            "form": form,
            "document_form": document_form,
            "documents": event.documents.all(),
            "breakdown": selectors.attendance_breakdown(event),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def document_upload(request, slug):
    event = policies.event_for_managing(request, slug=slug)
    form = DocumentForm(request.POST, request.FILES, instance=None)
    if form.is_valid():
        document = form.save(commit=False)
        document.event = event
        services.document_add(document=document, by=request.user)
        messages.success(request, _("The document was added."))
        return redirect("events:outcomes", slug=event.slug)
    outcome = EventOutcome.objects.filter(event=event).first() or EventOutcome(event=event)
    return render(
        request,
        "events/outcomes.html",
        {
            "event": event,
            "form": OutcomeForm(instance=outcome),
            "document_form": form,
            "documents": event.documents.all(),
            "breakdown": selectors.attendance_breakdown(event),
        },
        status=400,
    )


def document_download(request, slug, pk):
    """An outcome document, after the policy (404 to whoever may not read it)."""
    document = get_object_or_404(
        EventDocument.objects.select_related("event__community"), pk=pk, event__slug=slug
    )
    if not policies.can_download_document(request.user, document):
        raise Http404
    return download_response(
        document.file,
        filename=document.original_name or f"document.{document.file.name.rsplit('.', 1)[-1]}",
        content_type=document.content_type or "application/octet-stream",
    )
