"""The outbox's periodic sweeps, sent by Celery beat (settings.CELERY_BEAT_SCHEDULE).

Kept apart from `tasks.py` because they call the services that queue those tasks; the
notifications app imports this module when Django starts (apps.py), so workers know them.
"""

from celery import shared_task

from . import services


# The sweeps are acknowledged on receipt: beat sends the next one anyway, and the sweep counts
# the broker's queue, which must not include the sweep itself.
@shared_task(acks_late=False, ignore_result=True)
def outbox_requeue_due_task() -> int:
    return services.outbox_requeue_due()


@shared_task(acks_late=False, ignore_result=True)
def digests_collect_due_task() -> int:
    return services.digests_collect_due()
