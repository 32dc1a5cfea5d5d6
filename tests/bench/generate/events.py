"""Generated events: meetings, symposiums, exercises, webinars and workshops of every format,
two thirds past and a third ahead (a few drafts and cancellations), with their reminders and
registrations (confirmed, attended or cancelled)."""

import datetime
import zoneinfo

from django.db import transaction
from django.utils.text import slugify

from events.models import Event, EventReminder, Registration

from .dataset import BATCH, DRAFT_SHARE, EVENT_SLUG_MARK, DataSet
from .vocabulary import CITIES, SCENARIOS, SUBJECTS


def events_generate(data: DataSet, target: int, per_event: float) -> None:
    existing = Event.objects.filter(slug__regex=rf"{EVENT_SLUG_MARK}[0-9]+$").count()
    missing = max(target - existing, 0)
    chunk = 500
    with data.progress(missing, "events (with their registrations)") as bar:
        for start in range(existing, target, chunk):
            stop = min(start + chunk, target)
            with transaction.atomic():
                _event_batch(data, start, stop, per_event)
            bar.update(stop - start)


def _event_batch(data: DataSet, start: int, stop: int, per_event: float) -> None:
    rng = data.rng("events", start)
    events = []
    for index in range(start, stop):
        community = data.pick_communities(rng, 1)[0]
        name_en, name_fr = data.community_names[community]
        kind = rng.choice(Event.Type.values)
        subject_en, subject_fr = rng.choice(SUBJECTS)
        if kind == Event.Type.MEETING:
            title = (f"{name_en}: quarterly meeting", f"{name_fr} : réunion trimestrielle")
        elif kind == Event.Type.CONFERENCE:
            title = (f"{name_en} symposium", f"Symposium — {name_fr}")
        elif kind == Event.Type.EXERCISE:
            scenario_en, scenario_fr = rng.choice(SCENARIOS)
            title = (f"Tabletop exercise: {scenario_en}", f"Exercice sur table : {scenario_fr}")
        elif kind == Event.Type.WEBINAR:
            title = (f"Webinar: {subject_en}", f"Webinaire : {subject_fr}")
        else:
            title = (f"Workshop: {subject_en}", f"Atelier : {subject_fr}")
        city, province, zone = rng.choice(CITIES)
        # Two thirds in the past (completed), a third ahead; a few drafts and cancellations.
        day = rng.randint(-720, 360)
        hour = rng.choice((9, 10, 13, 14))
        begin = datetime.datetime.combine(
            (data.now + datetime.timedelta(days=day)).date(),
            datetime.time(hour),
            zoneinfo.ZoneInfo(zone),
        )
        fmt = rng.choices(Event.Format.values, weights=(5, 3, 2))[0]
        roll = rng.random()
        if roll < DRAFT_SHARE:
            status = Event.Status.DRAFT
        elif roll < DRAFT_SHARE + 0.03:
            status = Event.Status.CANCELLED
        elif begin < data.now:
            status = Event.Status.COMPLETED
        else:
            status = Event.Status.PUBLISHED
        events.append(
            Event(
                community_id=community,
                title_en=title[0],
                title_fr=title[1],
                slug=f"{slugify(title[0])[:90]}{EVENT_SLUG_MARK}{index}",
                event_type=kind,
                format=fmt,
                summary_en=f"Join the community to discuss {subject_en}.",
                summary_fr=f"Joignez-vous à la communauté pour discuter du thème : {subject_fr}.",
                description_en=f"An exchange on {subject_en} between practitioners, "
                "scientists and policy-makers, followed by questions.",
                description_fr=f"Un échange sur le thème « {subject_fr} » entre praticiens, "
                "scientifiques et décideurs, suivi d’une période de questions.",
                start=begin,
                end=begin + datetime.timedelta(hours=rng.choice((1, 2, 3, 7))),
                time_zone=zone,
                venue_en="" if fmt == Event.Format.VIRTUAL else f"{city} Convention Centre",
                venue_fr="" if fmt == Event.Format.VIRTUAL else f"Centre des congrès, {city}",
                city="" if fmt == Event.Format.VIRTUAL else city,
                province="" if fmt == Event.Format.VIRTUAL else province,
                virtual_link=""
                if fmt == Event.Format.IN_PERSON
                else f"https://meet.example.ca/{index}",
                capacity_in_person=None
                if fmt == Event.Format.VIRTUAL
                else rng.choice((None, int(per_event * 3))),
                visibility=rng.choices(Event.Visibility.values, weights=(6, 3, 1))[0],
                status=status,
                published_at=None
                if status == Event.Status.DRAFT
                else begin - datetime.timedelta(days=30),
                cancelled_at=begin - datetime.timedelta(days=2)
                if status == Event.Status.CANCELLED
                else None,
                created_by_id=rng.choice(data.members),
            )
        )
    events = Event.objects.bulk_create(events)
    EventReminder.objects.bulk_create(
        EventReminder(
            event=event,
            hours_before=hours,
            sent_at=event.start if event.start < data.now else None,
        )
        for event in events
        for hours in (48, 2)
    )
    registrations = []
    for event in events:
        if event.status == Event.Status.DRAFT:
            continue
        modes = {
            Event.Format.IN_PERSON: [Registration.Mode.IN_PERSON],
            Event.Format.VIRTUAL: [Registration.Mode.VIRTUAL],
            Event.Format.HYBRID: [Registration.Mode.IN_PERSON, Registration.Mode.VIRTUAL],
        }[event.format]
        past = event.start < data.now
        count = int(per_event) + (rng.random() < per_event % 1)
        for user in rng.sample(data.members, min(count, len(data.members))):
            roll = rng.random()
            if roll < 0.1:
                state = Registration.State.CANCELLED
            elif past:
                state = Registration.State.ATTENDED if roll < 0.8 else Registration.State.CONFIRMED
            else:
                state = Registration.State.CONFIRMED
            created = event.start - datetime.timedelta(hours=rng.randint(3, 60 * 24))
            registrations.append(
                Registration(
                    event=event,
                    user_id=user,
                    state=state,
                    mode=rng.choice(modes),
                    created_at=created,
                    cancelled_at=created + datetime.timedelta(hours=1)
                    if state == Registration.State.CANCELLED
                    else None,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
