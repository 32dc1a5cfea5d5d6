import datetime

import pytest
from celery.exceptions import Retry
from django.db import OperationalError, transaction

from communities import kinds as community_kinds
from notifications import outbox, services
from notifications.models import DigestSchedule
from notifications.tasks import digest_deliver_task, notifications_deliver_task
from tests.communities.factories import CommunityFactory
from tests.helpers import run_beat
from tests.members.factories import UserFactory

# Late acknowledgement (a worker killed mid-delivery leaves its task to another worker) is
# tested with real workers SIGKILLed in test_faults_delivery.py; that a redelivered task sends
# nothing twice, in test_services.py (test_a_task_delivered_twice_sends_once).


@pytest.mark.django_db
def test_celery_beat_runs_every_periodic_task_at_least_every_quarter_hour(
    django_capture_on_commit_callbacks,
):
    start = datetime.datetime(2027, 1, 4, 12, 0, tzinfo=datetime.UTC)

    sent = run_beat(
        start,
        start + datetime.timedelta(minutes=15, seconds=1),
        callbacks=django_capture_on_commit_callbacks,
    )

    # each ran (beat found it registered, and it did not fail) within the quarter hour
    assert {task for _when, task in sent} == {
        "notifications.periodic.outbox_requeue_due_task",
        "notifications.periodic.digests_collect_due_task",
        "events.tasks.event_reminders_send_due_task",
        "consultations.tasks.consultations_notify_due_task",
    }


@pytest.mark.django_db(transaction=True)
def test_delivery_is_queued_only_after_commit(mailoutbox):
    lead = UserFactory()
    community = CommunityFactory()
    services.preferences_save(
        user=lead,
        general={community_kinds.COMMUNITY_NEW_MEMBER: "immediate"},
        per_community={},
        schedule=DigestSchedule(),
    )
    with transaction.atomic():
        services.notify(
            kind=community_kinds.COMMUNITY_NEW_MEMBER, recipients=[lead], community=community
        )
        assert mailoutbox == []
    assert [m.to for m in mailoutbox] == [[lead.email]]


def database_down(**kwargs):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.parametrize(
    ("task", "service"),
    [
        (notifications_deliver_task, "notifications_deliver"),
        (digest_deliver_task, "digest_deliver"),
    ],
)
@pytest.mark.parametrize(("retries", "seconds"), [(0, 1), (1, 2), (2, 4), (3, 5), (50, 5)])
def test_a_delivery_that_meets_a_database_error_is_retried_with_backoff(
    monkeypatch, task, service, retries, seconds
):
    # given the database down during a delivery already retried `retries` times
    monkeypatch.setattr(outbox, service, database_down)

    # then it is not acknowledged as done: it is retried, 1, 2, 4 and then every 5 seconds
    with pytest.raises(Retry, match=rf"Retry in {seconds}s"):
        task.apply(args=[["some-id"]], retries=retries, throw=True)


def test_a_delivery_stops_retrying_after_its_last_retry(monkeypatch):
    # (about an hour of database errors: what is left is the sweep's, once the database is back)
    monkeypatch.setattr(outbox, "notifications_deliver", database_down)

    with pytest.raises(OperationalError):
        notifications_deliver_task.apply(
            args=[["some-id"]], retries=notifications_deliver_task.max_retries, throw=True
        )
