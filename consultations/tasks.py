"""Celery entry points of consultations: one periodic pass (declared in CELERY_BEAT_SCHEDULE)
finds the opening notices and reminders that are due; never ETAs (on Redis an ETA beyond the
visibility timeout is delivered twice)."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def consultations_notify_due_task() -> int:
    return services.consultations_notify_due()
