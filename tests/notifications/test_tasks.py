import pytest
from celery.exceptions import Retry
from django.db import transaction

from communities import kinds as community_kinds
from cssp_portal.celery import app
from notifications import outbox, services
from notifications.models import DigestSchedule
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory


def test_celery_is_configured_for_safe_delivery():
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.broker_url.startswith("redis://")


def test_the_periodic_work_is_scheduled_and_registered():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled == {
        "notifications.periodic.outbox_requeue_due_task",
        "notifications.periodic.digests_collect_due_task",
        "events.tasks.event_reminders_send_due_task",
        "consultations.tasks.consultations_notify_due_task",
    }
    assert scheduled <= set(app.tasks)


@pytest.mark.django_db(transaction=True)
def test_delivery_is_queued_only_after_commit(mailoutbox):
    lead = UserFactory()
    community = CommunityFactory()
    services.preferences_save(
        user=lead,
        general={community_kinds.COMMUNITY_NEW_MEMBER: "immediate"},
        per_community={},
        schedule=DigestSchedule(),
    )
    with transaction.atomic():
        services.notify(
            kind=community_kinds.COMMUNITY_NEW_MEMBER, recipients=[lead], community=community
        )
        assert mailoutbox == []
    assert [m.to for m in mailoutbox] == [[lead.email]]


def test_a_delivery_that_meets_a_database_error_is_retried_not_dropped(monkeypatch):
    from django.db import OperationalError

    from notifications.tasks import notifications_deliver_task

    def database_down(*, ids):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(outbox, "notifications_deliver", database_down)
    with pytest.raises(Retry, match="Retry in 1s"):
        notifications_deliver_task.apply(args=[["some-id"]], throw=True)
