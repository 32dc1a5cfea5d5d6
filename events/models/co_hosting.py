"""A community's request that another co-host its event, and the answer."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .event import Event


class CoHosting(models.Model):
    """A host's request that another community co-host its event, and that community's answer.

    Naming a community as co-host does not make it one: its leads accept or decline, and may
    withdraw later. `Event.co_hosts` holds the accepted ones only (kept in step by
    events.services, the one write path), so nothing shows the event in a community that has
    not agreed. One row per event and community, through its whole life."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Asked or accepted: naming the community again asks nothing new.
    LIVE_STATES = (State.REQUESTED, State.ACCEPTED)
    DECISIONS = {
        # decision: (the states it answers, the state it leads to)
        "accept": ((State.REQUESTED,), State.ACCEPTED),
        "decline": ((State.REQUESTED,), State.DECLINED),
        "withdraw": ((State.ACCEPTED,), State.WITHDRAWN),
    }

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="co_hostings", verbose_name=_("event")
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="co_hostings",
        verbose_name=_("co-hosting community"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("co-hosting")
        verbose_name_plural = _("co-hostings")
        constraints = [
            models.UniqueConstraint(fields=["event", "community"], name="events_co_hosting_once"),
        ]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self):
        return f"{self.community} — {self.event} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("events:co_hosting", kwargs={"pk": self.pk})

    def allowed_decisions(self) -> list[str]:
        """The answers the request's state allows: accept or decline a request, withdraw from
        an accepted one."""
        return [
            decision for decision, (answers, _to) in self.DECISIONS.items() if self.state in answers
        ]
