"""The outbox under outages, with real processes: the broker down, or Redis killed while people
join communities, and PostgreSQL stopped mid-delivery. Whatever happens, no write is refused,
every notification is emailed, and the only duplicates are of attempts cut between the server's
acceptance and the row's update: the same Message-ID, and the row says its outcome was
uncertain."""

import threading
import time

import pytest
from django.db import connection

from communities import kinds as community_kinds
from communities.models import Community, Membership
from communities.services.membership import membership_join
from notifications.models import DeliveryState, Notification
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory
from tests.notifications.faults import (
    announce_new_member,
    duplicates_are_harmless,
    states,
    wait_until_all_delivered,
)
from tests.notifications.processes import immediate_recipients, wait_until, worker_database_url

pytestmark = pytest.mark.django_db(transaction=True)


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
