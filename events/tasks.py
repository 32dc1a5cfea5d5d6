"""Celery entry points of events. Reminders are found by a periodic scan of the database
(declared in CELERY_BEAT_SCHEDULE), never by ETAs: on Redis an ETA beyond the visibility
timeout is delivered twice."""

from celery import shared_task

from .services.reminders import event_reminders_send_due


@shared_task(ignore_result=True)
def event_reminders_send_due_task() -> int:
    return event_reminders_send_due()
