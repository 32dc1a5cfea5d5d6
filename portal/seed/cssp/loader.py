"""Load the CSSP program's real data (communities, organizations, projects, the CCRS
roundtable, the 2022 call) from cssp.json, in English and French.

Idempotent and respectful of curators: a record is created, with its links, only when it does
not exist yet (matched by slug); an existing record is never modified, so running the loader
again changes nothing and never undoes an edit made in the admin since.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from consultations.seed import load_ccrs_consultations
from events.models import Event, EventOutcome, EventReminder

from .communities import load_communities
from .organizations import load_expertise_areas, load_organizations, load_trusted_domains
from .program import load_calls, load_gaps, load_projects
from .records import LoadReport, aware, bilingual, create_if_absent

DATA_FILE = Path(__file__).parent.parent / "cssp.json"


def read_data(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_cssp(data: dict | None = None) -> LoadReport:
    data = data or read_data()
    report = LoadReport()

    load_expertise_areas(data, report)
    organizations = load_organizations(data, report)
    load_trusted_domains(report, organizations=organizations)

    communities = load_communities(data, report, organizations=organizations)

    gaps = load_gaps(data, report, communities=communities)

    load_calls(data, report, communities=communities, gaps=gaps)

    load_projects(data, report, communities=communities, organizations=organizations, gaps=gaps)

    for event in data.get("events", []):
        _load_event(event, report, communities, organizations)

    # The CCRS roundtable's 2018 consultations, closed, with what was heard (consultations app).
    load_ccrs_consultations(report)

    return report


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
