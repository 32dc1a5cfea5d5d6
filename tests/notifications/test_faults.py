"""The outbox under faults, with real processes: the broker down, a worker killed mid-batch, the
mail server refusing. Whatever happens, every notification is emailed exactly once."""

import time
from collections import defaultdict

import pytest
from django.db.models import Count

from notifications import kinds, services
from notifications.models import DeliveryState, Notification
from tests.communities.factories import CommunityFactory
from tests.notifications.processes import (
    ACCEPT,
    REFUSE_DATA,
    REFUSE_RCPT,
    immediate_recipients,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def announce_new_member(recipients) -> list[str]:
    rows = services.notify(
        kind=kinds.COMMUNITY_NEW_MEMBER,
        recipients=recipients,
        community=CommunityFactory(),
        context={"member_name": "Sam Singh"},
    )
    return [str(row.pk) for row in rows]


def states() -> dict[str, int]:
    """How many outbox rows are in each state."""
    return dict(Notification.objects.values_list("state").annotate(Count("pk")).order_by())


def wait_until_all_delivered(ids, sink, workers, *, timeout: float) -> None:
    """Every id has reached the sink and every row is marked sent."""
    wait_until(
        lambda: sink.has_all(ids) and states() == {DeliveryState.SENT: len(ids)},
        timeout=timeout,
        message=lambda: (
            f"{len(set(sink.copies()) & set(ids))} of {len(ids)} emails received; "
            f"outbox: {states()}\n{workers.logs()}"
        ),
    )
    # No worker left to send a late copy: what the sink holds now is final.
    workers.kill_all()


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


def test_worker_killed_mid_batch_loses_no_email_and_sends_none_twice(workers, smtp_sink):
    # given a worker delivering 300 emails to a slow mail server
    first = workers.start()
    smtp_sink.delay = 0.005
    ids = announce_new_member(immediate_recipients(300))
    # when the worker and its pool are killed once some of the emails have gone out
    wait_until(lambda: smtp_sink.count() >= 40, timeout=30, message=workers.logs)
    first.kill()
    delivered_before_kill = smtp_sink.count()
    assert delivered_before_kill < len(ids), "the worker finished before it could be killed"
    # and a new worker starts
    workers.start()
    # then every email arrives, and none twice
    wait_until_all_delivered(ids, smtp_sink, workers, timeout=90)
    assert smtp_sink.copies() == dict.fromkeys(ids, 1)


@pytest.mark.parametrize(
    "refusal",
    [REFUSE_RCPT, REFUSE_DATA],
    ids=["refused-at-recipient", "refused-at-end-of-data"],
)
def test_email_refused_for_a_while_is_retried_later_and_later_then_sent_once(
    workers, smtp_sink, refusal
):
    # given a mail server that answers "try again later"
    smtp_sink.mode = refusal
    workers.start()
    leads = immediate_recipients(3)
    # when someone joins
    ids = announce_new_member(leads)
    # then each email is tried three times, waiting longer each time (1 s, then 2 s: the
    # backoff base in these workers) ...
    address_to_id = dict(Notification.objects.values_list("email", "pk"))

    def tries() -> dict[str, list[float]]:
        times = defaultdict(list)
        for refused in smtp_sink.refused:
            what = refused.what if refused.phase == "data" else str(address_to_id[refused.what])
            times[what].append(refused.at)
        return times

    wait_until(
        lambda: all(len(tries()[pk]) >= 3 for pk in ids),
        timeout=30,
        message=lambda: f"refused attempts: {dict(tries())}\n{workers.logs()}",
    )
    for pk in ids:
        first, second, third = tries()[pk][:3]
        assert second - first >= 1 - 0.05
        assert third - second >= 2 - 0.05

    # ... and the outbox shows it waiting, with the server's answer, in the meantime
    def waiting() -> list[Notification]:
        rows = list(
            Notification.objects.filter(
                state=DeliveryState.PENDING, attempts__gte=3, last_error__contains="451"
            )
        )
        return rows if len(rows) == len(ids) else []

    waiting_rows = wait_until(
        waiting,
        timeout=10,
        message=lambda: str(list(Notification.objects.values("state", "attempts", "last_error"))),
    )
    assert all("try again later" in row.last_error for row in waiting_rows)
    assert smtp_sink.received == []
    # when the server accepts mail again
    smtp_sink.mode = ACCEPT
    # then each email is sent exactly once
    wait_until_all_delivered(ids, smtp_sink, workers, timeout=30)
    assert smtp_sink.copies() == dict.fromkeys(ids, 1)
    assert all(attempts > 3 for attempts in Notification.objects.values_list("attempts", flat=True))
