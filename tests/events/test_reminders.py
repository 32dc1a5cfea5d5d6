"""Reminders go through one Celery beat task that scans for what is due, with a frozen clock."""

import datetime

import pytest
import time_machine

from events import services, tasks
from events.models import Event, EventReminder
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.helpers import run_beat
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2027, 2, 23, 19, 30, tzinfo=datetime.UTC)  # 2:30 p.m. in Ottawa


@pytest.fixture
def registered_event(django_capture_on_commit_callbacks):
    community = CommunityFactory()
    with time_machine.travel(START - datetime.timedelta(days=10), tick=False):
        event = EventFactory(
            community=community, start=START, end=START + datetime.timedelta(hours=2)
        )
        en, fr = UserFactory(preferred_language="en"), UserFactory(preferred_language="fr")
        for person in (en, fr):
            make_member(community, person)
            services.event_register(event=event, user=person)
    return event, en, fr


def test_celery_beat_sends_each_reminder_at_most_five_minutes_after_it_is_due(
    registered_event, mailoutbox, django_capture_on_commit_callbacks
):
    # given registrants of an event whose 48-hour reminder is due at `due`, and celery beat
    # running since an hour and a second before: its last pass before `due` comes a second too
    # early, so the reminder waits for the next one
    event, en, fr = registered_event
    due = START - datetime.timedelta(hours=48)
    mailoutbox.clear()

    # when beat runs the portal's schedule until five minutes after that
    run_beat(
        due - datetime.timedelta(hours=1, seconds=1),
        due + datetime.timedelta(minutes=5),
        callbacks=django_capture_on_commit_callbacks,
    )

    # then the reminder has gone to each registrant, once, at most five minutes late (beside
    # their registration confirmations, which the outbox sweep sent on its first pass)
    reminders = [m.to[0] for m in mailoutbox if m.subject.startswith(("Reminder", "Rappel"))]
    assert sorted(reminders) == sorted([en.email, fr.email])
    reminder = event.reminders.get(hours_before=48)
    assert due <= reminder.sent_at <= due + datetime.timedelta(minutes=5)


def _tick(at, callbacks):
    with time_machine.travel(at, tick=False), callbacks(execute=True):
        # .result, not .get(): Celery's "inside a task" flag is process-wide and saved and
        # restored around each eager call, so threads that ran eager tasks at the same time
        # (tests/events/test_concurrency.py) can leave it set, and get() would then refuse.
        return tasks.event_reminders_send_due_task.apply(throw=True).result


def test_each_reminder_goes_once_at_its_time_in_each_language(
    registered_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, en, fr = registered_event
    mailoutbox.clear()

    assert _tick(START - datetime.timedelta(hours=49), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []

    assert _tick(START - datetime.timedelta(hours=47), django_capture_on_commit_callbacks) == 1
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address[en.email].subject == f"Reminder: {event.title_en}"
    assert "Tuesday, 23 February 2027, 2:30 p.m. to 4:30 p.m. (EST)" in by_address[en.email].body
    assert by_address[fr.email].subject == f"Rappel\xa0: {event.title_fr}"
    assert (
        "mardi 23 février 2027, de 14\xa0h\xa030 à 16\xa0h\xa030 (HNE)" in by_address[fr.email].body
    )

    # The next beat ticks (and a tick delivered twice) send nothing more.
    assert _tick(START - datetime.timedelta(hours=46), django_capture_on_commit_callbacks) == 0
    assert _tick(START - datetime.timedelta(hours=46), django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 2

    assert _tick(START - datetime.timedelta(minutes=90), django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 4
    assert _tick(START + datetime.timedelta(minutes=5), django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 4


def test_an_event_published_late_sends_only_the_closest_reminder(
    registered_event, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()

    assert _tick(START - datetime.timedelta(hours=1), django_capture_on_commit_callbacks) == 1

    assert len(mailoutbox) == 2
    assert EventReminder.objects.filter(sent_at__isnull=True).count() == 0


def test_a_cancelled_event_sends_no_reminder(
    registered_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, _en, _fr = registered_event
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    mailoutbox.clear()

    assert _tick(START - datetime.timedelta(hours=1), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_a_new_start_time_rearms_the_reminders(
    registered_event, mailoutbox, django_capture_on_commit_callbacks
):
    event, _en, _fr = registered_event
    lead = UserFactory()
    from communities.models import Membership

    make_member(event.community, lead, role=Membership.Role.LEAD)
    _tick(START - datetime.timedelta(hours=47), django_capture_on_commit_callbacks)
    later = START + datetime.timedelta(days=7)
    with time_machine.travel(START - datetime.timedelta(hours=40), tick=False):
        event.refresh_from_db()
        event.start, event.end = later, later + datetime.timedelta(hours=2)
        services.event_update(event=event, by=lead)
    mailoutbox.clear()

    assert _tick(later - datetime.timedelta(hours=47), django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 2
