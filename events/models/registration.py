"""A person's place at an event: confirmed, waitlisted, cancelled or attended, and how."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegistrationQuerySet(models.QuerySet):
    def seated(self):
        """Those holding a seat: confirmed, or marked attended."""
        return self.filter(state__in=Registration.SEATED_STATES)


class Registration(models.Model):
    """A person's place at an event. Waitlist order is the order of `created_at`."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        # « Annulée »: a registration (« inscription ») is feminine; an event is not.
        CANCELLED = "cancelled", pgettext_lazy("registration state", "Cancelled")
        ATTENDED = "attended", _("Attended")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")

    CURRENT_STATES = (State.CONFIRMED, State.WAITLISTED, State.ATTENDED)
    # Holding a seat: counted against the event's capacity for the mode.
    SEATED_STATES = (State.CONFIRMED, State.ATTENDED)
    # Whom the organizers' message goes to (MessageForm's audience).
    AUDIENCES = {
        "all": (*SEATED_STATES, State.WAITLISTED),
        "confirmed": SEATED_STATES,
        "waitlisted": (State.WAITLISTED,),
    }

    # Named, not imported: event.py imports this module (an event's modes are these modes).
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("person"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    mode = models.CharField(
        _("attending"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(state__in=["confirmed", "waitlisted", "attended"]),
                name="events_one_current_registration",
            ),
        ]
        indexes = [models.Index(fields=["event", "state", "mode", "created_at"])]

    def __str__(self):
        return f"{self.user} — {self.event} ({self.get_state_display()})"
