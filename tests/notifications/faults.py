"""What the outbox's fault tests share: a fan-out to announce, the outbox's states, waiting until
every email has arrived, and the check that the only duplicates are harmless.

The fault tests themselves are in test_faults_outages.py (the broker, Redis and PostgreSQL down)
and test_faults_delivery.py (workers killed, the mail server refusing): two files, so that the
suite's two processes share their minutes (`--dist loadfile` keeps a file on one process)."""

import email
import time
from collections import defaultdict

from django.db.models import Count

from communities import kinds as community_kinds
from notifications import services
from notifications.models import DeliveryState, Notification
from tests.communities.factories import CommunityFactory
from tests.notifications.processes import wait_until


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
