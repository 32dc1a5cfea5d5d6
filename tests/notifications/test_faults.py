"""The outbox under faults, with real processes: the broker down or killed while people join
communities, workers SIGKILLed again and again mid-delivery, PostgreSQL stopped, the mail server
refusing. Whatever happens, no write is refused, every notification is emailed, and the only
duplicates are of attempts cut between the server's acceptance and the row's update: the same
Message-ID, and the row says its outcome was uncertain."""

import email
import threading
import time
from collections import defaultdict

import pytest
from django.db import connection
from django.db.models import Count

from communities import kinds as community_kinds
from communities.models import Community, Membership
from communities.services.membership import membership_join
from notifications import services
from notifications.models import DeliveryState, Notification
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory
from tests.notifications.processes import (
    ACCEPT,
    REFUSE_DATA,
    REFUSE_RCPT,
    immediate_recipients,
    wait_until,
    worker_database_url,
)

pytestmark = pytest.mark.django_db(transaction=True)


def announce_new_member(recipients) -> list[str]:
    rows = services.notify(
        kind=community_kinds.COMMUNITY_NEW_MEMBER,
        recipients=recipients,
        community=CommunityFactory(),
        context={"member_name": "Sam Singh"},
    )
    return [str(row.pk) for row in rows]


def states() -> dict[str, int]:
    """How many outbox rows are in each state."""
    return dict(Notification.objects.values_list("state").annotate(Count("pk")).order_by())


def wait_until_all_delivered(ids, sink, workers, *, timeout: float, states=states) -> float:
    """Every id has reached the sink and every row is marked sent; returns when that was."""
    wait_until(
        lambda: sink.has_all(ids) and states() == {DeliveryState.SENT: len(ids)},
        timeout=timeout,
        interval=0.25,
        message=lambda: (
            f"{len(set(sink.copies()) & set(ids))} of {len(ids)} emails received; "
            f"outbox: {states()}\n{workers.logs()}"
        ),
    )
    done = time.monotonic()
    # No worker left to send a late copy: what the sink holds now is final.
    workers.kill_all()
    return done


def duplicates_are_harmless(sink, uncertain: set[str]) -> int:
    """Every copy of a notification carries the same Message-ID, and every notification that
    arrived twice is one whose row records an interrupted attempt. Returns how many doubled."""
    message_ids = defaultdict(set)
    for message in sink.received:
        message_ids[message.notification].add(email.message_from_bytes(message.raw)["Message-ID"])
    assert all(len(found) == 1 for found in message_ids.values()), "a copy changed Message-ID"
    doubled = {pk for pk, count in sink.copies().items() if count > 1}
    assert doubled <= uncertain, f"duplicates without an interrupted attempt: {doubled - uncertain}"
    return len(doubled)


def test_notify_while_the_broker_is_down_delivers_each_email_once_it_is_back(
    workers, broker, smtp_sink
):
    # given a running worker and 120 leads who want new members announced at once
    workers.start()
    leads = immediate_recipients(120)
    # when the broker goes down (losing everything it held) and someone joins
    broker.stop()
    started = time.monotonic()
    ids = announce_new_member(leads)
    took = time.monotonic() - started
    # then the change is recorded without an error, within a few seconds, nothing sent yet
    assert took < 10, f"notify() took {took:.1f} s with the broker down"
    assert states() == {DeliveryState.PENDING: 120}
    # when the broker comes back, empty, on the same address
    broker.start()
    # then every lead receives the email exactly once
    wait_until_all_delivered(ids, smtp_sink, workers, timeout=90)
    assert smtp_sink.copies() == dict.fromkeys(ids, 1)


def test_workers_killed_again_and_again_mid_fan_out_lose_no_email(workers, smtp_sink):
    # given two workers delivering a fan-out of 2,000 emails to a slowish mail server
    smtp_sink.delay = 0.002
    pool = [workers.start(), workers.start(beat=False)]
    ids = announce_new_member(immediate_recipients(2000))
    # when, while they deliver, a whole worker or one of its pool processes is SIGKILLed every
    # second (a killed worker is replaced, as compose or systemd would)
    kills = 0
    wait_until(lambda: smtp_sink.count() >= 50, timeout=60, message=workers.logs)
    while kills < 10 and smtp_sink.count() < len(ids) * 0.9:
        victim = pool[kills % 2]
        if kills % 3 == 2:
            victim.kill()
            pool[kills % 2] = workers.start(beat=kills % 2 == 0)
        else:
            victim.kill_child()
        kills += 1
        time.sleep(1)
    assert kills >= 5, f"delivery finished after {kills} kills: too fast to test anything"
    # then every email arrives; a copy is only ever a repeat of an interrupted attempt
    wait_until_all_delivered(ids, smtp_sink, workers, timeout=120)
    assert set(smtp_sink.copies()) == set(ids)
    uncertain = {
        str(pk)
        for pk in Notification.objects.filter(interrupted__gt=0).values_list("pk", flat=True)
    }
    doubled = duplicates_are_harmless(smtp_sink, uncertain)
    print(
        f"\n{kills} kills: 0 lost, {doubled} sent twice (same Message-ID), "
        f"{len(uncertain)} rows flagged uncertain"
    )


def test_redis_killed_while_people_join_refuses_no_write_and_loses_no_email(
    workers, broker, smtp_sink, settings
):
    # given open communities whose leads want new members at once, and the cache on the same
    # Redis as the broker
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": broker.url},
    }
    # Supervised as in production: a Celery/kombu 5.7 worker can exit when Redis dies
    # ("'NoneType' object has no attribute 'hostname'"), and its supervisor starts it again.
    workers.start(supervised=True)
    communities = [CommunityFactory(join_policy=Community.JoinPolicy.OPEN) for _ in range(3)]
    for community, lead in zip(
        communities, immediate_recipients(3, prefix="joinlead"), strict=True
    ):
        make_member(community, lead, role=Membership.Role.LEAD)
    people = [UserFactory() for _ in range(45)]
    # when people join one after another, and Redis is killed for a while in the middle
    refused, joined = [], 0
    stopper = threading.Timer(2.0, broker.stop)
    stopper.start()
    started = time.monotonic()
    for index, person in enumerate(people):
        if index == 30 and not broker.running:
            broker.start()
        try:
            membership_join(community=communities[index % 3], user=person)
            joined += 1
        except Exception as exc:
            refused.append(repr(exc))
        time.sleep(0.1)
    stopper.join()
    took = time.monotonic() - started
    if not broker.running:
        broker.start()
    # then every join was recorded
    assert refused == [], f"{len(refused)} joins refused: {refused[:3]}"
    assert joined == len(people)
    # and each lead receives one email per new member once Redis is back
    ids = [
        str(pk)
        for pk in Notification.objects.filter(
            kind=community_kinds.COMMUNITY_NEW_MEMBER
        ).values_list("pk", flat=True)
    ]
    assert len(ids) == len(people), f"{len(ids)} notifications for {len(people)} joins"
    wait_until_all_delivered(ids, smtp_sink, workers, timeout=90)
    assert smtp_sink.copies() == dict.fromkeys(ids, 1)
    print(f"\n{joined} joins in {took:.1f} s with Redis killed for part of it: 0 refused, 0 lost")


def test_postgresql_stopped_during_delivery_loses_nothing_and_recovers_in_seconds(
    workers, broker, smtp_sink, postgres_cluster
):
    # given 600 queued emails, in a PostgreSQL of the test's own that the workers use
    smtp_sink.delay = 0.002
    ids = announce_new_member(immediate_recipients(600))
    connection.close()
    postgres_cluster.start()
    postgres_cluster.copy_database(worker_database_url().split("?")[0])

    def cluster_states():
        return dict(
            postgres_cluster.query(
                "SELECT state, count(*) FROM notifications_notification GROUP BY state"
            )
        )

    database = {"DATABASE_URL": postgres_cluster.url, "DATABASE_CONN_MAX_AGE": "60"}
    workers.start(env=database)
    workers.start(beat=False, env=database)
    # when PostgreSQL stops for 10 s in the middle of the delivery
    wait_until(lambda: smtp_sink.count() >= 100, timeout=60, message=workers.logs)
    postgres_cluster.stop()
    assert smtp_sink.count() < len(ids), "delivery finished before PostgreSQL stopped"
    time.sleep(10)
    postgres_cluster.start()
    recovered = time.monotonic()
    # then every email arrives within 30 s of its return
    done = wait_until_all_delivered(ids, smtp_sink, workers, timeout=60, states=cluster_states)
    assert done - recovered < 30, f"complete {done - recovered:.1f} s after PostgreSQL returned"
    uncertain = {
        str(pk)
        for (pk,) in postgres_cluster.query(
            "SELECT id FROM notifications_notification WHERE interrupted > 0"
        )
    }
    doubled = duplicates_are_harmless(smtp_sink, uncertain)
    print(
        f"\nPostgreSQL down 10 s: 0 lost, {doubled} sent twice (same Message-ID), complete "
        f"{done - recovered:.1f} s after its return"
    )


def test_a_mail_server_refusing_for_30_seconds_delays_emails_then_sends_each_once(
    workers, smtp_sink
):
    # given a mail server that answers "try again later", first to each recipient and then at
    # the end of each message, for 30 seconds
    smtp_sink.mode = REFUSE_RCPT
    workers.start(env={"NOTIFICATIONS_RETRY_MAX_SECONDS": "8", "NOTIFICATIONS_MAX_ATTEMPTS": "12"})
    ids = announce_new_member(immediate_recipients(200))
    started = time.monotonic()
    wait_until(lambda: len(smtp_sink.refused) >= 200, timeout=30, message=workers.logs)
    time.sleep(max(0.0, 15 - (time.monotonic() - started)))
    smtp_sink.mode = REFUSE_DATA
    time.sleep(max(0.0, 30 - (time.monotonic() - started)))
    # meanwhile nothing was delivered, and the outbox shows them waiting with the server's answer
    assert smtp_sink.received == []
    # (counted whatever their state at this instant: some are being tried again right now)
    answered = Notification.objects.filter(
        pk__in=ids, attempts__gte=1, last_error__contains="451"
    ).exclude(state=DeliveryState.SENT)
    assert answered.count() >= 150
    phases = {refusal.phase for refusal in smtp_sink.refused}
    assert phases == {"rcpt", "data"}
    # when the server accepts mail again
    smtp_sink.mode = ACCEPT
    accepting = time.monotonic()
    # then each email is sent exactly once, within the capped retry delay
    done = wait_until_all_delivered(ids, smtp_sink, workers, timeout=60)
    assert smtp_sink.copies() == dict.fromkeys(ids, 1)
    assert done - accepting < 30
    assert not Notification.objects.filter(state=DeliveryState.FAILED).exists()
