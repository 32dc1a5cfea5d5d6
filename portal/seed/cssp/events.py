"""The program's events, past and upcoming: published, or completed with their reminders marked
sent; the hosting community, the organizations involved and, when held, the outcome."""

from django.utils import timezone

from communities.models import Community, Organization
from events.models import Event, EventOutcome, EventReminder

from .records import LoadReport, aware, bilingual, create_if_absent


def load_events(
    data: dict,
    report: LoadReport,
    *,
    communities: dict[str, Community],
    organizations: dict[str, Organization],
) -> None:
    for event in data.get("events", []):
        _load_event(event, report, communities, organizations)


def _load_event(event: dict, report: LoadReport, communities: dict, organizations: dict) -> None:
    start = aware(event["start"], event["timezone"])
    instance, created = create_if_absent(
        Event,
        report,
        "events",
        {"slug": event["slug"]},
        {
            **bilingual(event, "title", "summary", "description", "venue"),
            "community": communities[event["host"]],
            "event_type": event["event_type"],
            "format": event["format"],
            "start": start,
            "end": aware(event["end"], event["timezone"]),
            "time_zone": event["timezone"],
            "city": event.get("city", ""),
            "province": event.get("province", ""),
            "visibility": Event.Visibility.PUBLIC,
            "status": Event.Status.COMPLETED if start < timezone.now() else Event.Status.PUBLISHED,
            "published_at": start,
        },
    )
    if not created:
        return
    instance.organizations.set([organizations[k] for k in event.get("organizations", [])])
    EventReminder.objects.bulk_create(
        EventReminder(
            event=instance, hours_before=hours, sent_at=start if start < timezone.now() else None
        )
        for hours in (48, 2)
    )
    outcome = event.get("outcome")
    if outcome:
        EventOutcome.objects.create(
            event=instance,
            published_at=instance.end,
            **bilingual(outcome, "summary", "key_takeaways", "recommendations"),
        )
