"""Celery entry points of the outbox. They take ids; the database says what is left to do.

A delivery that meets a database error (PostgreSQL restarting, a connection cut) is retried in
a few seconds rather than acknowledged and left to the sweep: the rows it claimed are taken
again by the retry, since the claim's lock died with the old connection.

The periodic sweeps, which queue these tasks, are in `periodic.py` (services -> tasks -> outbox,
and periodic -> services: no module imports one that imports it back).
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import outbox

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# 1, 2, 4, then every 5 seconds (no jitter: a retry at 0 s would spin), for about an hour; a
# longer outage is left to the sweep, which queues what is due once the database is back.
RETRY_ON_DATABASE_ERROR = {
    "autoretry_for": DATABASE_UNAVAILABLE,
    "retry_backoff": 1,
    "retry_backoff_max": 5,
    "retry_jitter": False,
    "max_retries": 720,
}


@shared_task(acks_late=True, ignore_result=True, **RETRY_ON_DATABASE_ERROR)
def notifications_deliver_task(notification_ids: list[str]) -> None:
    outbox.notifications_deliver(ids=notification_ids)


@shared_task(acks_late=True, ignore_result=True, **RETRY_ON_DATABASE_ERROR)
def digest_deliver_task(digest_ids: list[str]) -> None:
    for digest_id in digest_ids:
        outbox.digest_deliver(digest_id=digest_id)
