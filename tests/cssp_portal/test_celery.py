import pytest
from django.db import transaction

from members.tasks import send_account_email_task


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_inside_a_transaction_runs_only_after_commit(mailoutbox):
    with transaction.atomic():
        send_account_email_task.delay_on_commit(subject="Hello", body="Body", to=["a@example.ca"])
        assert mailoutbox == []

    assert [m.subject for m in mailoutbox] == ["Hello"]


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_in_a_rolled_back_transaction_never_runs(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_account_email_task.delay_on_commit(subject="Hello", body="Body", to=["a@example.ca"])
        raise RuntimeError("the change failed")

    assert mailoutbox == []


def test_celery_is_configured_for_safe_delivery():
    from cssp_portal.celery import app

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.broker_url.startswith("redis://")
