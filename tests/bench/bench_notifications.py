"""Throughput of the notification outbox: one notify() fanned out to 10,000 members, delivered by
real Celery workers through a real Redis to an SMTP server on loopback.

Not part of the test suite: run it with `make bench` (BENCH_WORKERS, BENCH_CONCURRENCY,
BENCH_NOTIFICATIONS and BENCH_TIMEOUT adjust it). It prints emails per second per worker, the
fraction of the notifications that arrived exactly once (which must be 1) and the largest
resident memory of a worker's pool process seen during the run.

Targets (issue #17): at least 250 emails/s per worker (one worker, two pool processes) on an
idle machine, and a pool process under 100 MiB resident.
"""

import os
import time

import pytest

from communities import kinds as community_kinds
from notifications import services
from notifications.models import DeliveryState, Notification
from tests.communities.factories import CommunityFactory
from tests.notifications.processes import immediate_recipients, wait_until

NOTIFICATIONS = int(os.environ.get("BENCH_NOTIFICATIONS", "10000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "1"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "900"))

# Production's drain limit: with the tests' short one the sweep could queue the backlog again
# while it drains and measure that instead.
BENCH_OUTBOX = {"NOTIFICATIONS_DRAIN_SECONDS": "600"}


LOAD_BEFORE = os.getloadavg()


def resident_kib(pid: int) -> int:
    """VmRSS of a process, in KiB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@pytest.mark.django_db(transaction=True)
def test_fan_out_of_10000_notifications_is_delivered_exactly_once(workers, smtp_sink):
    # given N workers (the first one running beat) and members who want new members at once
    started_workers = [
        workers.start(beat=index == 0, concurrency=CONCURRENCY, env=BENCH_OUTBOX)
        for index in range(WORKERS)
    ]
    peak_rss = {}

    def sample_rss():
        for worker in started_workers:
            for pid in worker.children():
                peak_rss[pid] = max(peak_rss.get(pid, 0), resident_kib(pid))

    recipients = immediate_recipients(NOTIFICATIONS, prefix="bench")
    community = CommunityFactory()
    # when one event notifies all of them
    started = time.monotonic()
    rows = services.notify(
        kind=community_kinds.COMMUNITY_NEW_MEMBER,
        recipients=recipients,
        community=community,
        context={"member_name": "Sam Singh"},
    )
    recorded = time.monotonic()
    ids = {str(row.pk) for row in rows}
    # then every email reaches the mail server...
    wait_until(
        lambda: sample_rss() or smtp_sink.has_all(ids),
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
    load = os.getloadavg()
    rss_mib = max(peak_rss.values(), default=0) / 1024
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
        f"  largest pool process: {rss_mib:.1f} MiB resident "
        f"({len(peak_rss)} pool processes sampled)\n"
        f"  load average before/after: {LOAD_BEFORE[0]:.2f} / {load[0]:.2f} on {os.cpu_count()} "
        f"CPUs\n"
    )
    assert exactly_once == 1.0
    assert set(copies) == ids
    assert rss_mib <= 100, f"a pool process reached {rss_mib:.1f} MiB"
