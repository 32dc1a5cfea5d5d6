"""Throughput of the notification outbox: one notify() fanned out to 10,000 members, delivered by
real Celery workers through a real Redis to an SMTP server on loopback.

Not part of the test suite: run it with `make bench` (BENCH_WORKERS, BENCH_CONCURRENCY,
BENCH_NOTIFICATIONS and BENCH_TIMEOUT adjust it). It prints emails per second per worker and the
fraction of the notifications that arrived exactly once, which must be 1.
"""

import os
import time

import pytest

from notifications import kinds, services
from notifications.models import DeliveryState, Notification
from tests.communities.factories import CommunityFactory
from tests.notifications.processes import immediate_recipients, wait_until

NOTIFICATIONS = int(os.environ.get("BENCH_NOTIFICATIONS", "10000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "900"))

# Production's drain limit: with the tests' short one the sweep could queue the backlog again
# while it drains and measure that instead.
BENCH_OUTBOX = {"NOTIFICATIONS_DRAIN_SECONDS": "600"}


@pytest.mark.django_db(transaction=True)
def test_fan_out_of_10000_notifications_is_delivered_exactly_once(workers, smtp_sink):
    # given N workers (the first one running beat) and members who want new members at once
    for index in range(WORKERS):
        workers.start(beat=index == 0, concurrency=CONCURRENCY, env=BENCH_OUTBOX)
    recipients = immediate_recipients(NOTIFICATIONS, prefix="bench")
    community = CommunityFactory()
    # when one event notifies all of them
    started = time.monotonic()
    rows = services.notify(
        kind=kinds.COMMUNITY_NEW_MEMBER,
        recipients=recipients,
        community=community,
        context={"member_name": "Sam Singh"},
    )
    recorded = time.monotonic()
    ids = {str(row.pk) for row in rows}
    # then every email reaches the mail server...
    wait_until(
        lambda: smtp_sink.has_all(ids),
        timeout=TIMEOUT,
        interval=0.5,
        message=lambda: f"{len(ids & set(smtp_sink.copies()))} of {len(ids)} received",
    )
    last = max(message.at for message in smtp_sink.received)
    wait_until(
        lambda: not Notification.objects.exclude(state=DeliveryState.SENT).exists(),
        timeout=60,
        message="outbox rows not all marked sent",
    )
    workers.kill_all()
    # ... exactly once
    copies = smtp_sink.copies()
    exactly_once = sum(1 for pk in ids if copies[pk] == 1) / len(ids)
    delivering = last - started
    per_second = len(ids) / delivering
    print(
        f"\n\nnotification outbox benchmark: {len(ids):,} emails, {WORKERS} worker(s) "
        f"x {CONCURRENCY} process(es)\n"
        f"  notify() recorded and queued them in {recorded - started:.2f} s\n"
        f"  last email received after {delivering:.1f} s\n"
        f"  {per_second:,.0f} emails/s in all, {per_second / WORKERS:,.1f} emails/s per worker, "
        f"{per_second / (WORKERS * CONCURRENCY):,.1f} per worker process\n"
        f"  delivered exactly once: {exactly_once:.4f} "
        f"(missing {sum(1 for pk in ids if copies[pk] == 0)}, "
        f"duplicated {sum(1 for pk in ids if copies[pk] > 1)}, "
        f"unknown {len(set(copies) - ids)})\n"
    )
    assert exactly_once == 1.0
    assert set(copies) == ids
