"""The outbox's delivery under faults, with real processes: workers SIGKILLed again and again
mid-delivery, and the mail server refusing for a while. Every notification is emailed, and the
only duplicates are of attempts cut between the server's acceptance and the row's update: the
same Message-ID, and the row says its outcome was uncertain."""

import time

import pytest

from notifications.models import DeliveryState, Notification
from tests.notifications.faults import (
    announce_new_member,
    duplicates_are_harmless,
    wait_until_all_delivered,
)
from tests.notifications.processes import (
    ACCEPT,
    REFUSE_DATA,
    REFUSE_RCPT,
    immediate_recipients,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_a_mail_server_refusing_for_20_seconds_delays_emails_then_sends_each_once(
    workers, smtp_sink
):
    # given a mail server that answers "try again later", first to each recipient and then at
    # the end of each message, for 20 seconds (long enough for each email to be tried again at
    # the capped retry delay of 8 s)
    smtp_sink.mode = REFUSE_RCPT
    workers.start(env={"NOTIFICATIONS_RETRY_MAX_SECONDS": "8", "NOTIFICATIONS_MAX_ATTEMPTS": "12"})
    ids = announce_new_member(immediate_recipients(200))
    started = time.monotonic()
    wait_until(lambda: len(smtp_sink.refused) >= 200, timeout=30, message=workers.logs)
    time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    smtp_sink.mode = REFUSE_DATA
    wait_until(
        lambda: any(refusal.phase == "data" for refusal in smtp_sink.refused),
        timeout=30,
        message=workers.logs,
    )
    time.sleep(max(0.0, 20 - (time.monotonic() - started)))
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
