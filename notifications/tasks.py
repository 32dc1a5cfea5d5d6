"""Celery entry points of the outbox. They take ids; the database says what is left to do."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def notifications_deliver_task(notification_ids: list[str]) -> None:
    services.notifications_deliver(ids=notification_ids)


@shared_task(acks_late=True, ignore_result=True)
def digest_deliver_task(digest_ids: list[str]) -> None:
    for digest_id in digest_ids:
        services.digest_deliver(digest_id=digest_id)


@shared_task(ignore_result=True)
def outbox_requeue_due_task() -> int:
    return services.outbox_requeue_due()


@shared_task(ignore_result=True)
def digests_collect_due_task() -> int:
    return services.digests_collect_due()
