"""The outbox end to end: a real worker takes the ids from a real Redis and hands the emails to
a real SMTP server."""

import pytest

from communities import kinds as community_kinds
from notifications import services
from notifications.models import DeliveryState, Notification
from tests.communities.factories import CommunityFactory
from tests.notifications.processes import immediate_recipients, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_member_email_reaches_each_lead_once_in_their_language(workers, smtp_sink):
    # given a worker, and a community whose English- and French-speaking leads want new
    # members announced at once
    workers.start()
    community = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    english, french = immediate_recipients(2, languages=("en", "fr"))
    # when someone joins
    rows = services.notify(
        kind=community_kinds.COMMUNITY_NEW_MEMBER,
        recipients=[english, french],
        community=community,
        context={"member_name": "Sam Singh"},
    )
    # then each lead receives one email, in their language, and the outbox says sent
    ids = [str(row.pk) for row in rows]
    wait_until(
        lambda: smtp_sink.has_all(ids),
        timeout=30,
        message=lambda: f"emails received: {smtp_sink.copies()}\n{workers.logs()}",
    )
    by_recipient = {message.to: message for message in smtp_sink.received}
    assert by_recipient.keys() == {(english.email,), (french.email,)}
    english_email = by_recipient[(english.email,)]
    assert english_email.subject == "Sam Singh joined Chemical"
    assert english_email.language == "en"
    assert "/en/communities/" in english_email.body
    french_email = by_recipient[(french.email,)]
    assert french_email.language == "fr"
    # The French wording is the catalogue's (compiled by make test); the names are the same.
    assert "Sam Singh" in french_email.subject
    assert "Chimique" in french_email.subject
    assert "joined" not in french_email.subject
    assert "/fr/communities/" in french_email.body
    assert smtp_sink.copies() == dict.fromkeys(ids, 1)
    wait_until(
        lambda: set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.SENT},
        timeout=10,
        message="the outbox rows are not all marked sent",
    )
    assert list(Notification.objects.values_list("attempts", flat=True)) == [1, 1]


def test_a_running_worker_writes_heartbeats_and_a_killed_one_stops(workers, broker):
    import json

    import redis

    # given a worker (heartbeat every second in these workers)
    worker = workers.start()
    client = redis.Redis.from_url(broker.url)

    def beats():
        return {
            key.decode(): json.loads(client.get(key) or "null")
            for key in client.scan_iter(match="cssp:worker-heartbeat:*")
        }

    # then it writes a heartbeat with its pid, fresher than three intervals
    found = wait_until(beats, timeout=10, message="no heartbeat written")
    [(key, beat)] = found.items()
    assert key.startswith("cssp:worker-heartbeat:worker1-") and beat["pid"] == worker.pid
    # when it is SIGKILLed, its heartbeat expires within three intervals (and a second)
    worker.kill()
    wait_until(lambda: not beats(), timeout=10, message="the heartbeat outlived the worker")
