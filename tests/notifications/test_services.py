import datetime
import smtplib
import uuid
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from communities import kinds as community_kinds
from communities.models import Membership
from notifications import kinds, outbox, services
from notifications.models import (
    DeliveryState,
    Digest,
    DigestSchedule,
    Frequency,
    Notification,
    Weekday,
)
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory
from tests.notifications.factories import DigestScheduleFactory, NotificationPreferenceFactory

from .backends import ScriptedBackend

pytestmark = pytest.mark.django_db

NEW_MEMBER = community_kinds.COMMUNITY_NEW_MEMBER


def prefer(user, frequency, community=None, kind=NEW_MEMBER):
    return NotificationPreferenceFactory(
        user=user, kind=kind, community=community, frequency=frequency
    )


def send(recipients, community, key="", **kwargs):
    return services.notify(
        kind=NEW_MEMBER,
        recipients=recipients,
        community=community,
        context={"member_name": "Sam Singh"},
        key=key,
        **kwargs,
    )


@pytest.fixture
def scripted_backend(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.ScriptedBackend"
    ScriptedBackend.failures = []
    yield ScriptedBackend
    ScriptedBackend.failures = []


def test_new_member_is_announced_to_leads_in_their_language(django_capture_on_commit_callbacks):
    # given a community led by a French-speaking lead who wants new members immediately
    community = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    lead = UserFactory(preferred_language="fr", first_name="Luce", last_name="Ouellet")
    make_member(community, lead, role=Membership.Role.LEAD)
    prefer(lead, Frequency.IMMEDIATE)
    # when someone joins
    with django_capture_on_commit_callbacks(execute=True):
        make_member(community, UserFactory(first_name="Sam", last_name="Singh"))
    # then the lead gets one email in French, with a link to the French community page
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email]
    assert (
        message.subject
        == "Nouvelle adhésion à la communauté «\u00a0Chimique\u00a0»\u00a0: Sam Singh"
    )
    assert "Bonjour Luce Ouellet," in message.body
    assert f"/fr/communities/{community.slug}/" in message.body
    html = message.alternatives[0][0]
    assert 'lang="fr"' in html
    assert "Voir la communauté" in html
    assert "/fr/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notification = Notification.objects.get(recipient=lead)
    assert notification.state == DeliveryState.SENT
    assert notification.attempts == 1


def test_portfolio_managers_hear_of_new_members_when_the_community_asks(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory(notify_portfolio_managers_of_new_members=True)
    manager, quiet_community = UserFactory(), CommunityFactory()
    community.portfolio_managers.add(manager)
    quiet_community.portfolio_managers.add(manager)
    prefer(manager, Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        make_member(community, UserFactory())
        make_member(quiet_community, UserFactory())
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_a_change_that_rolls_back_notifies_nobody(django_capture_on_commit_callbacks):
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send([lead], community)
        raise RuntimeError("the membership could not be saved")
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("general", "in_community", "expected"),
    [
        (None, None, Frequency.DAILY),  # the kind's default
        (Frequency.WEEKLY, None, Frequency.WEEKLY),
        (Frequency.WEEKLY, Frequency.IMMEDIATE, Frequency.IMMEDIATE),
        (Frequency.IMMEDIATE, Frequency.OFF, Frequency.OFF),
    ],
)
def test_a_community_choice_overrides_the_general_one(general, in_community, expected):
    community, other, user = CommunityFactory(), CommunityFactory(), UserFactory()
    if general:
        prefer(user, general)
    if in_community:
        prefer(user, in_community, community=community)
        prefer(user, Frequency.IMMEDIATE, community=other)
    [notification] = send([user], community)
    assert notification.frequency == expected
    expected_state = (
        DeliveryState.SUPPRESSED if expected == Frequency.OFF else DeliveryState.PENDING
    )
    assert notification.state == expected_state


def test_security_emails_ignore_preferences():
    user = UserFactory()
    prefer(user, Frequency.OFF, kind=kinds.ACCOUNT)
    resolved = services.preferences_resolve(
        kind=kinds.get_kind(kinds.ACCOUNT), user_ids=[user.pk], community_id=None
    )
    assert resolved == {user.pk: Frequency.IMMEDIATE}


def test_inactive_accounts_are_not_emailed():
    community, user = CommunityFactory(), UserFactory(is_active=False)
    [notification] = send([user], community)
    assert notification.state == DeliveryState.SUPPRESSED


def test_the_same_event_never_notifies_a_person_twice(django_capture_on_commit_callbacks):
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        send([lead, lead], community, key="membership:1:active")
        send([lead], community, key="membership:1:active")
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_a_large_fan_out_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    community = CommunityFactory()
    users = [UserFactory() for _ in range(60)]
    for user in users[:20]:
        prefer(user, Frequency.WEEKLY)
    with django_assert_max_num_queries(6):
        rows = send(users, community)
    assert len(rows) == 60
    assert Notification.objects.filter(frequency=Frequency.WEEKLY).count() == 20


def test_a_temporary_smtp_failure_is_retried_with_backoff_then_sent_once(
    scripted_backend, django_capture_on_commit_callbacks
):
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    scripted_backend.failures = [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPDataError(451, b"Try again later"),
    ]
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([lead], community)
    notification.refresh_from_db()
    assert notification.state == DeliveryState.PENDING
    assert notification.attempts == 1
    assert "Connection unexpectedly closed" in notification.last_error
    first_wait = notification.next_attempt_at - start
    assert datetime.timedelta(seconds=55) < first_wait < datetime.timedelta(seconds=70)

    # the sweep does nothing before the next attempt is due…
    assert services.outbox_requeue_due(now=start + datetime.timedelta(seconds=30)) == 0
    # …then tries again, fails again, and waits twice as long
    assert services.outbox_requeue_due(now=start + datetime.timedelta(seconds=61)) == 1
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert "451" in notification.last_error
    assert notification.next_attempt_at - timezone.now() > datetime.timedelta(seconds=115)

    assert services.outbox_requeue_due(now=start + datetime.timedelta(minutes=5)) == 1
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert notification.attempts == 3
    assert len(mail.outbox) == 1
    # and a later sweep finds nothing left to send
    assert services.outbox_requeue_due(now=start + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_a_permanent_refusal_fails_at_once_and_keeps_the_error(
    scripted_backend, django_capture_on_commit_callbacks
):
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    scripted_backend.failures = [
        smtplib.SMTPRecipientsRefused({lead.email: (550, b"No such user")})
    ]
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([lead], community)
    notification.refresh_from_db()
    assert notification.state == DeliveryState.FAILED
    assert "No such user" in notification.last_error
    assert notification.next_attempt_at is None


def test_after_the_last_attempt_the_notification_is_failed(
    settings, scripted_backend, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "MAX_ATTEMPTS": 2}
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    scripted_backend.failures = [ConnectionRefusedError(111, "Connection refused")] * 2
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([lead], community)
    services.outbox_requeue_due(now=timezone.now() + datetime.timedelta(hours=1))
    notification.refresh_from_db()
    assert notification.state == DeliveryState.FAILED
    assert notification.attempts == 2
    assert "Connection refused" in notification.last_error

    # an administrator sends it again once the server is fixed
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_resend(model=Notification, ids=[notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert len(mail.outbox) == 1


def test_a_task_delivered_twice_sends_once(django_capture_on_commit_callbacks):
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([lead], community)
    outbox.notifications_deliver(ids=[str(notification.pk)])
    assert len(mail.outbox) == 1


def test_a_lost_task_is_queued_again_by_the_sweep(settings, django_capture_on_commit_callbacks):
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    # the task was never run (as if Redis lost it)
    [notification] = send([lead], community)
    assert mail.outbox == []
    lost_after = settings.NOTIFICATIONS["LOST_TASK_SECONDS"]
    assert services.outbox_requeue_due(now=timezone.now() + datetime.timedelta(seconds=5)) == 0
    services.outbox_requeue_due(now=timezone.now() + datetime.timedelta(seconds=lost_after + 1))
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert len(mail.outbox) == 1


def test_while_the_queue_drains_a_queued_row_waits_for_the_drain_limit(settings, monkeypatch):
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    [notification] = send([lead], community)
    # the broker still holds messages (a large fan-out being worked through)
    monkeypatch.setattr(services, "broker_backlog", lambda: 300)
    conf = settings.NOTIFICATIONS
    later = timezone.now() + datetime.timedelta(seconds=conf["LOST_TASK_SECONDS"] + 1)
    assert services.outbox_requeue_due(now=later) == 0
    later = timezone.now() + datetime.timedelta(seconds=conf["DRAIN_SECONDS"] + 1)
    assert services.outbox_requeue_due(now=later) == 1
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT


def test_the_sweep_reads_an_empty_redis_queue_as_empty_and_counts_a_waiting_one(monkeypatch):
    """Redis deletes a queue's list with its last message: an empty queue must read as 0 (lost
    tasks queued again after LOST_TASK_SECONDS), not as unknown (DRAIN_SECONDS, ten minutes)."""
    from cssp_portal.celery import app

    queue = f"backlog-test-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    # given the real broker and a queue that holds nothing
    assert outbox.broker_backlog() == 0
    # when a message waits in it, then it is counted
    with app.connection_for_write() as conn:
        waiting = conn.SimpleQueue(queue)
        try:
            waiting.put({"notification_ids": []})
            assert outbox.broker_backlog() == 1
        finally:
            waiting.queue.delete()
            waiting.close()
    # and a broker that cannot be reached reads as unknown
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    assert outbox.broker_backlog() is None


def test_notify_commits_and_never_raises_when_the_broker_is_down(
    monkeypatch, django_capture_on_commit_callbacks
):
    import redis

    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(tasks.notifications_deliver_task, "delay", broker_down)
    monkeypatch.setattr(services, "_broker_down_until", [0.0])
    community, lead = CommunityFactory(), UserFactory()
    prefer(lead, Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = send([lead], community)
    notification.refresh_from_db()
    # pending, and marked as never queued: the next sweep queues it
    assert notification.state == DeliveryState.PENDING
    assert notification.enqueued_at is None
    # and for a few seconds the next writes do not even try (no wait on a dead broker)
    monkeypatch.setattr(tasks.notifications_deliver_task, "delay", pytest.fail)
    with django_capture_on_commit_callbacks(execute=True):
        [second] = send([lead], CommunityFactory())
    second.refresh_from_db()
    assert second.state == DeliveryState.PENDING and second.enqueued_at is None


def test_account_email_secrets_are_erased_once_sent(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify_account_email(
            template_prefix="account/email/password_reset_key",
            email=user.email,
            context={"password_reset_url": "http://testserver/en/accounts/password/reset/key/x/"},
            user=user,
            language="en",
        )
    assert "/accounts/password/reset/key/x/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.context == {"template_prefix": "account/email/password_reset_key"}
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


# --- Digests -----------------------------------------------------------------------------------

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def at(*args):
    return datetime.datetime(*args, tzinfo=TORONTO)


@pytest.mark.parametrize(
    ("now", "frequency", "expected"),
    [
        (at(2026, 11, 24, 9, 30), Frequency.DAILY, at(2026, 11, 24, 8)),
        (at(2026, 11, 24, 7, 59), Frequency.DAILY, at(2026, 11, 23, 8)),
        # Tuesday: the weekly digest was due on Monday
        (at(2026, 11, 24, 9, 30), Frequency.WEEKLY, at(2026, 11, 23, 8)),
        # Monday before 8: last Monday's
        (at(2026, 11, 23, 7, 0), Frequency.WEEKLY, at(2026, 11, 16, 8)),
        # across the end of daylight saving time (1 November 2026)
        (at(2026, 11, 1, 9, 0), Frequency.DAILY, at(2026, 11, 1, 8)),
    ],
)
def test_digest_slot_is_the_members_last_chosen_hour(now, frequency, expected):
    schedule = DigestSchedule(hour=8, weekday=Weekday.MONDAY, time_zone="America/Toronto")
    assert outbox.digest_slot(now=now, schedule=schedule, frequency=frequency) == expected


def test_daily_digest_groups_by_community_at_the_members_hour_and_never_repeats(
    django_capture_on_commit_callbacks,
):
    # given a French-speaking member who wants a daily digest at 17:00 Vancouver time
    chemical = CommunityFactory(name_en="Chemical", name_fr="Chimique")
    fire = CommunityFactory(name_en="Fire Services", name_fr="Services d'incendie")
    member = UserFactory(preferred_language="fr")
    DigestScheduleFactory(user=member, hour=17, time_zone="America/Vancouver")
    vancouver = zoneinfo.ZoneInfo("America/Vancouver")
    morning = datetime.datetime(2026, 11, 24, 10, tzinfo=vancouver)
    with time_machine.travel(morning, tick=False):
        for community, name in [
            (chemical, "Ada Lovelace"),
            (fire, "Boris Vian"),
            (chemical, "Cyrus Smith"),
        ]:
            services.notify(
                kind=NEW_MEMBER,
                recipients=[member],
                community=community,
                context={"member_name": name},
            )
    # when the digest pass runs before 17:00, nothing goes out
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_collect_due(now=morning.replace(hour=16, minute=50)) == 0
    assert mail.outbox == []
    # then after 17:00 one digest, in French, grouped by community
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_collect_due(now=morning.replace(hour=17, minute=5)) == 1
    [message] = mail.outbox
    assert message.subject == "Votre résumé quotidien\u00a0: 3 nouvelles"
    positions = [
        message.body.index(text)
        for text in ["Chimique", "Ada Lovelace", "Cyrus Smith", "Services d'incendie", "Boris"]
    ]
    assert positions == sorted(positions)
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    # and later passes send nothing again
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_collect_due(now=morning + datetime.timedelta(days=2)) == 0
    assert len(mail.outbox) == 1
    assert Digest.objects.get().state == DeliveryState.SENT


def test_weekly_and_daily_items_go_to_separate_digests(django_capture_on_commit_callbacks):
    community, member = CommunityFactory(), UserFactory()
    prefer(member, Frequency.WEEKLY)
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        send([member], community)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_collect_due(now=at(2026, 11, 23, 8, 5)) == 1
    assert "weekly summary" in mail.outbox[0].subject
