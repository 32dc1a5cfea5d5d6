"""Scheduled work under `make run`: CELERY_BEAT_SCHEDULE run inside the development server.

On the embedded default there is no broker: every task runs eagerly, in the process that queues
it. A separate `celery beat` would then have no worker to hand its tasks to, and a worker with
beat on a file-system broker would be two more processes writing to the same SQLite file as
the server (and two more to stop on Ctrl-C). So the development server runs the periodic tasks
itself, in one daemon thread: Celery's own beat scheduler reads CELERY_BEAT_SCHEDULE (the one
place periodic work is declared) and each due task runs eagerly in that thread, like the tasks
that requests queue. The thread lives in the server's process (the autoreloader's child), so
it restarts with the code and stops with Ctrl-C.

Only dev.py installs this app, and the thread starts only under runserver (the
`autoreload_started` signal) and only while tasks are eager: with REDIS_URL set, `make worker`
and `make beat` do this work.
"""

from __future__ import annotations

import logging
import threading

from celery.beat import Scheduler
from django.apps import AppConfig
from django.db import close_old_connections
from django.utils.autoreload import autoreload_started

logger = logging.getLogger(__name__)

_started = threading.Lock()
_thread: threading.Thread | None = None


class DevSchedulerConfig(AppConfig):
    name = "cssp_portal.devscheduler"
    label = "devscheduler"
    verbose_name = "Scheduled work of the development server"

    def ready(self):
        autoreload_started.connect(_on_runserver, dispatch_uid="cssp-dev-scheduler")


def _on_runserver(sender, **kwargs) -> None:
    start()


def start(*, stop: threading.Event | None = None) -> threading.Thread | None:
    """Start the scheduler thread once per process (None when tasks are not eager: a real
    broker has its own beat). Each periodic task runs once at start, then on its schedule:
    reminders that fell due while the server was stopped go out at once."""
    global _thread
    from cssp_portal.celery import app

    if not app.conf.task_always_eager:
        logger.info("A broker is configured: periodic work needs `make worker` and `make beat`.")
        return None
    with _started:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(
                target=run, args=(app, stop or threading.Event()), name="cssp-scheduler"
            )
            _thread.daemon = True
            _thread.start()
    return _thread


def run(app, stop: threading.Event) -> None:
    # As `celery beat` does: import the apps' tasks modules, so the scheduler finds each task
    # and applies it (eagerly) instead of sending it by name to a broker nobody reads.
    app.loader.import_default_modules()
    # The in-memory scheduler: nothing to store between runs, since every task scans the
    # database for what is due and records what it did.
    scheduler = Scheduler(app=app)
    missing = sorted({entry.task for entry in scheduler.schedule.values()} - set(app.tasks))
    if missing:
        logger.error("Scheduled tasks not found, not run: %s", ", ".join(missing))
        for name in [n for n, e in scheduler.schedule.items() if e.task in missing]:
            del scheduler.schedule[name]
    logger.info("Scheduled work runs in this process: %s", ", ".join(sorted(scheduler.schedule)))
    for entry in list(scheduler.schedule.values()):
        scheduler.apply_entry(scheduler.reserve(entry), producer=scheduler.producer)
    close_old_connections()
    # tick() runs what is due (logging a failure without stopping) and says how long to wait.
    while not stop.wait(scheduler.tick()):
        close_old_connections()
