"""The event itself (with its queryset) and when its registrants are reminded."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .registration import Registration

TIME_ZONE_CHOICES = [
    ("America/St_Johns", _("Newfoundland time (St. John’s)")),
    ("America/Halifax", _("Atlantic time (Halifax)")),
    ("America/Toronto", _("Eastern time (Ottawa, Toronto, Montréal)")),
    ("America/Winnipeg", _("Central time (Winnipeg)")),
    ("America/Regina", _("Central time, no daylight saving (Regina)")),
    ("America/Edmonton", _("Mountain time (Edmonton)")),
    ("America/Whitehorse", _("Yukon time (Whitehorse)")),
    ("America/Vancouver", _("Pacific time (Vancouver)")),
    ("UTC", _("Coordinated Universal Time (UTC)")),
]


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED])

    def upcoming(self):
        return self.published().filter(end__gte=timezone.now()).order_by("start")

    def past(self):
        return self.published().filter(end__lt=timezone.now()).order_by("-start")

    def of_community(self, community):
        """Events the community hosts or co-hosts, as one `pk IN (hosted UNION co-hosted)`:
        a join on the co-hosts repeats events, and "host = c OR pk IN (...)" keeps PostgreSQL
        from using the community index (it scans the whole table)."""
        hosted = Event.objects.filter(community=community).order_by().values("pk")
        co_hosted = (
            Event.co_hosts.through.objects.filter(community=community).order_by().values("event_id")
        )
        return self.filter(pk__in=hosted.union(co_hosted))


class Event(models.Model):
    """A meeting, workshop, conference, exercise or webinar hosted by a community."""

    class Type(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        WORKSHOP = "workshop", _("Workshop")
        CONFERENCE = "conference", _("Conference")
        EXERCISE = "exercise", _("Exercise")
        WEBINAR = "webinar", _("Webinar")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("All signed-in members")
        HOSTS = "hosts", _("Members of the host communities")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("host community"),
    )
    # The co-hosts that ACCEPTED (CoHosting.State.ACCEPTED): every reader (listings, policies,
    # calendar feeds, search) counts these only. Naming a community asks it first
    # (CoHosting); only events.services adds or removes rows here, with the request's state.
    co_hosts = models.ManyToManyField(
        "communities.Community",
        related_name="co_hosted_events",
        blank=True,
        verbose_name=_("co-hosting communities"),
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    event_type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.IN_PERSON
    )
    summary = models.TextField(_("summary"))
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="America/Toronto"
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    province = models.CharField(_("province or territory"), max_length=4, blank=True)
    virtual_link = models.URLField(
        _("virtual meeting link"), blank=True, help_text=_("Shown only to registered people.")
    )
    capacity_in_person = models.PositiveIntegerField(
        _("in-person capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    capacity_virtual = models.PositiveIntegerField(
        _("virtual capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    organizations = models.ManyToManyField(
        "communities.Organization",
        related_name="events",
        blank=True,
        verbose_name=_("participating organizations"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # RFC 5545 SEQUENCE: raised on every change registrants are told about, so calendar
    # clients replace their copy of the event.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="events_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="events_registration_window_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start"]),
            # The event list and calendar walk published events in start order and filter on
            # the end, host and visibility: with those columns in the index, PostgreSQL finds a
            # page's ids and counts the matches from the index alone (tests/bench).
            models.Index(
                fields=["start", "id"],
                name="events_published_by_start",
                condition=models.Q(status__in=["published", "completed"]),
                include=["end", "community", "visibility", "status"],
            ),
            # Upcoming events are those not yet ended: counting them (the list's paginator) or
            # finding a month's reads only the entries from now on, not the whole history of
            # past events as the start-ordered index above must (bench: 11 to 1.2 ms a count at
            # 10,000 events).
            models.Index(
                fields=["end", "start", "id"],
                name="events_published_by_end",
                condition=models.Q(status__in=["published", "completed"]),
                include=["community", "visibility"],
            ),
            # A community page's next and latest events (events.selectors.community_events):
            # its hosted events in start order, from the index, instead of walking every event
            # in start order to find a big community's (bench: 37 to 0.9 ms).
            models.Index(
                fields=["community", "start", "id"],
                name="events_published_by_community",
                condition=models.Q(status__in=["published", "completed"]),
                include=["end", "visibility"],
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def card_parts(self) -> list[str]:
        """What an event's listing entry shows besides its own fields: its host's and
        co-hosts' names (the co-hosts prefetched), as versions for a fragment cache key."""
        hosts = [self.community, *self.co_hosts.all()]
        return [f"c{host.pk}:{host.updated_at.timestamp()}" for host in hosts]

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.format in (self.Format.VIRTUAL, self.Format.HYBRID) and not self.virtual_link:
            errors["virtual_link"] = _("A virtual or hybrid event needs a meeting link.")
        if self.format == self.Format.VIRTUAL and self.capacity_in_person:
            errors["capacity_in_person"] = _("A virtual event has no in-person seats.")
        if self.format == self.Format.IN_PERSON and self.capacity_virtual:
            errors["capacity_virtual"] = _("An in-person event has no virtual seats.")
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["time_zone"] = _("Unknown time zone.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def registration_modes(self) -> list[str]:
        """How one may attend: in person, virtually, or either (a hybrid event)."""
        if self.format == self.Format.IN_PERSON:
            return [Registration.Mode.IN_PERSON]
        if self.format == self.Format.VIRTUAL:
            return [Registration.Mode.VIRTUAL]
        return [Registration.Mode.IN_PERSON, Registration.Mode.VIRTUAL]

    def capacity_for(self, mode: str) -> int | None:
        """Seats for `mode` (None: no limit)."""
        if mode == Registration.Mode.VIRTUAL:
            return self.capacity_virtual
        return self.capacity_in_person

    def has_free_seat(self, mode: str) -> bool:
        """Whether a seat of `mode` is free now. A write that gives the seat away asks under
        the event's row lock (events/services/registration.py)."""
        capacity = self.capacity_for(mode)
        if capacity is None:
            return True
        return self.registrations.seated().filter(mode=mode).count() < capacity

    def registration_closed_reason(self, now: datetime.datetime | None = None) -> str:
        """Why nobody can register right now ("" when registration is open)."""
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return gettext("Registration is not open for this event.")
        if self.start <= now:
            return gettext("This event has already started.")
        if self.registration_opens_at and now < self.registration_opens_at:
            return gettext("Registration has not opened yet.")
        if self.registration_closes_at and now >= self.registration_closes_at:
            return gettext("Registration is closed.")
        return ""


class EventReminder(models.Model):
    """When registrants are reminded (default 48 and 2 hours before); `sent_at` records that
    the periodic scan has sent it, so a reminder never goes twice."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("event")
    )
    hours_before = models.PositiveIntegerField(_("hours before the start"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["event", "-hours_before"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["event", "hours_before"], name="events_reminder_once"),
        ]

    def __str__(self):
        return _("%(hours)s h before") % {"hours": self.hours_before}
