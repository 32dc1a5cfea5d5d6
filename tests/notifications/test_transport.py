"""The delivery protocol against a real SMTP server on loopback (smtp_sink fixture): the row is
"sending" before the message leaves and "sent" only after the server accepted it."""

import email

import pytest
from django.core.mail import EmailMessage
from django.db import OperationalError

from communities import kinds as community_kinds
from notifications import outbox, services
from notifications.models import DeliveryState, Notification, NotificationPreference
from notifications.transport import open_transport
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory
from tests.notifications.factories import NotificationPreferenceFactory


@pytest.fixture
def smtp_settings(settings, smtp_sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return settings


def message(n: int) -> EmailMessage:
    return EmailMessage(
        subject=f"Message {n}",
        # a line made of one "." would end DATA early if it were not doubled
        body=f"Line one\n.\n..two dots\nend of {n}",
        to=["lead@example.gc.ca"],
        headers={"X-CSSP-Notification": f"n{n}"},
    )


def test_messages_share_one_connection_and_arrive_intact(smtp_settings, smtp_sink):
    with open_transport() as transport:
        transport.send(message(1))
        connection = transport.backend.connection
        transport.send(message(2))
        assert transport.backend.connection is connection
    assert [m.notification for m in smtp_sink.received] == ["n1", "n2"]
    assert "Line one\n.\n..two dots\nend of 2" in smtp_sink.received[1].body.replace("\r\n", "\n")


def new_member_notification() -> Notification:
    lead, community = UserFactory(), CommunityFactory()
    NotificationPreferenceFactory(user=lead, kind=community_kinds.COMMUNITY_NEW_MEMBER)
    [notification] = services.notify(
        kind=community_kinds.COMMUNITY_NEW_MEMBER, recipients=[lead], community=community
    )
    return notification


def message_ids(sink) -> list[str]:
    return [email.message_from_bytes(m.raw)["Message-ID"] for m in sink.received]


@pytest.mark.django_db
def test_an_attempt_whose_process_died_is_taken_again_and_flagged_uncertain(
    smtp_settings, smtp_sink
):
    # given a notification claimed by a process that died before the server accepted it (its
    # claim is written on the row, but nobody holds the claim's lock any more)
    notification = new_member_notification()
    outbox._claim(Notification.objects.filter(pk=notification.pk), key=12345)
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENDING
    # when its task runs again
    outbox.notifications_deliver(ids=[str(notification.pk)])
    # then it is sent, and the admin sees that an attempt was interrupted
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert notification.claim is None
    assert notification.attempts == 2
    assert notification.interrupted == 1 and notification.outcome_uncertain
    assert list(smtp_sink.copies().values()) == [1]


@pytest.mark.django_db
def test_an_attempt_held_by_a_living_process_is_left_alone(smtp_settings, smtp_sink):
    # given a notification being sent right now by another process (its claim's lock is held)
    notification = new_member_notification()
    with outbox._claim_held() as key:
        outbox._claim(Notification.objects.filter(pk=notification.pk), key=key)
        # when a duplicate task and the sweep run meanwhile
        outbox.notifications_deliver(ids=[str(notification.pk)])
        assert outbox.outbox_recover_abandoned() == 0
        # then neither sends it nor takes it
        notification.refresh_from_db()
        assert notification.state == DeliveryState.SENDING and notification.claim == key
        assert smtp_sink.count() == 0
    # once that process is gone, the sweep takes it back
    assert outbox.outbox_recover_abandoned() == 1
    notification.refresh_from_db()
    assert notification.state == DeliveryState.PENDING and notification.interrupted == 1


@pytest.mark.django_db
def test_when_sent_cannot_be_recorded_the_task_fails_and_a_retry_resends_the_same_message_id(
    smtp_settings, smtp_sink, monkeypatch
):
    # given a notification, and a database that goes away just after the server accepted it
    notification = new_member_notification()
    original = outbox._mark_sent

    def database_gone_once(*args, **kwargs):
        monkeypatch.setattr(outbox, "_mark_sent", original)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(outbox, "_mark_sent", database_gone_once)
    # when it is delivered, the database error reaches the task (which Celery retries)
    with pytest.raises(OperationalError):
        outbox.notifications_deliver(ids=[str(notification.pk)])
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENDING
    # and the retry sends it again: the one case of a duplicate, with the same Message-ID
    outbox.notifications_deliver(ids=[str(notification.pk)])
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT and notification.interrupted == 1
    ids = message_ids(smtp_sink)
    assert len(ids) == 2 and ids[0] == ids[1] == f"<{notification.pk}@{ids[0].split('@')[1]}"


@pytest.mark.django_db
def test_of_an_abandoned_batch_only_the_row_that_may_have_reached_the_server_is_uncertain(
    smtp_settings, smtp_sink
):
    # given a batch of three claimed by a process that died while sending the first
    leads = UserFactory.create_batch(3)
    NotificationPreference.objects.bulk_create(
        NotificationPreference(
            user=u, kind=community_kinds.COMMUNITY_NEW_MEMBER, frequency="immediate"
        )
        for u in leads
    )
    rows = services.notify(
        kind=community_kinds.COMMUNITY_NEW_MEMBER, recipients=leads, community=CommunityFactory()
    )
    batch = Notification.objects.filter(pk__in=[row.pk for row in rows])
    claimed = outbox._claim(batch, key=424242)
    # when the sweep recovers them
    assert outbox.outbox_recover_abandoned() == 3
    # then only the first in delivery order is flagged, and all three are pending again
    flagged = dict(batch.values_list("pk", "interrupted"))
    assert flagged == {claimed[0].pk: 1, claimed[1].pk: 0, claimed[2].pk: 0}
    assert set(batch.values_list("state", flat=True)) == {DeliveryState.PENDING}
