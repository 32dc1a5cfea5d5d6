"""The order of "sent" and SMTP, against a real SMTP server on loopback (smtp_sink fixture)."""

import pytest
from django.core.mail import EmailMessage

from notifications import kinds, services
from notifications.models import DeliveryState, Frequency, Notification, NotificationPreference
from notifications.transport import SMTPTransport, open_transport
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory


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


def test_a_message_is_delivered_only_once_the_final_dot_is_sent(smtp_settings, smtp_sink):
    with open_transport() as transport:
        assert isinstance(transport, SMTPTransport)
        transport.stage(message(1))
        # the server has the whole message but not its end: nothing is delivered yet
        assert smtp_sink.count() == 0
        transport.finish()
        transport.stage(message(2))
        transport.finish()
    assert [m.notification for m in smtp_sink.received] == ["n1", "n2"]
    body = smtp_sink.received[0].body.replace("\r\n", "\n").rstrip("\n")
    assert body == "Line one\n.\n..two dots\nend of 1"


def test_a_sender_that_hangs_up_before_the_final_dot_delivers_nothing(smtp_settings, smtp_sink):
    # as when a worker is killed between staging a message and committing it as sent
    with open_transport() as transport:
        transport.stage(message(1))
        transport.abort()
        transport.stage(message(2))
        transport.finish()
    assert [m.notification for m in smtp_sink.received] == ["n2"]


@pytest.mark.django_db
def test_when_sent_cannot_be_committed_the_email_is_not_delivered_and_stays_pending(
    smtp_settings, smtp_sink, monkeypatch, django_capture_on_commit_callbacks
):
    # given a lead who wants new members immediately
    lead, community = UserFactory(), CommunityFactory()
    NotificationPreference.objects.create(
        user=lead, kind=kinds.COMMUNITY_NEW_MEMBER, frequency=Frequency.IMMEDIATE
    )
    [notification] = services.notify(
        kind=kinds.COMMUNITY_NEW_MEMBER, recipients=[lead], community=community
    )

    # when the database refuses to record "sent" (the message is already staged on the server)
    original_save = Notification.save

    def save_failing_once(self, *args, **kwargs):
        monkeypatch.setattr(Notification, "save", original_save)
        raise ConnectionError("database connection lost")

    monkeypatch.setattr(Notification, "save", save_failing_once)
    services.notifications_deliver(ids=[str(notification.pk)])

    # then the server discarded the unfinished message and the row waits for a retry
    assert smtp_sink.count() == 0
    notification.refresh_from_db()
    assert notification.state == DeliveryState.PENDING
    assert notification.attempts == 1
    assert "database connection lost" in notification.last_error

    # and the retry delivers it, once
    services.notifications_deliver(ids=[str(notification.pk)])
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert list(smtp_sink.copies().values()) == [1]
