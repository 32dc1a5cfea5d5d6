"""The Celery application: configuration comes from Django settings (CELERY_* names).

Besides the tasks, each worker writes a heartbeat to Redis (read by /healthz, which reports a
dead worker) and, when it starts, asks for an outbox sweep: a worker that restarts after a crash
takes back at once the emails its previous life left half sent.
"""

import contextlib
import json
import logging
import os
import socket
import time

from celery import Celery, bootsteps
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cssp_portal.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("cssp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_PREFIX = "cssp:worker-heartbeat:"


def _redis():
    import redis
    from django.conf import settings

    # Short timeouts: the heartbeat runs in the worker's event loop and must never stall it.
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def heartbeat_interval() -> float:
    from django.conf import settings

    return settings.NOTIFICATIONS["HEARTBEAT_SECONDS"]


def heartbeats() -> dict[str, dict]:
    """The workers alive now: hostname -> {"pid", "at" (epoch seconds)}. A heartbeat expires
    after three intervals, so a killed worker drops out of this within 30 s by default."""
    client = _redis()
    found = {}
    for key in client.scan_iter(match=HEARTBEAT_PREFIX + "*", count=100):
        value = client.get(key)
        if value:
            found[key.decode()[len(HEARTBEAT_PREFIX) :]] = json.loads(value)
    return found


class Heartbeat(bootsteps.StartStopStep):
    """Every HEARTBEAT_SECONDS, the worker's main process records that it is alive."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        self.tref = None
        self.hostname = worker.hostname or socket.gethostname()

    def start(self, worker):
        from django.conf import settings

        if not settings.REDIS_URL:
            return
        self.client = _redis()
        self.beat()
        self.tref = worker.timer.call_repeatedly(heartbeat_interval(), self.beat, priority=10)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
            # Redis down: the key expires on its own.
            with contextlib.suppress(Exception):
                self.client.delete(HEARTBEAT_PREFIX + self.hostname)

    def beat(self):
        value = json.dumps({"pid": os.getpid(), "at": time.time()})
        try:
            self.client.set(
                HEARTBEAT_PREFIX + self.hostname, value, ex=int(3 * heartbeat_interval()) + 1
            )
        except Exception as exc:
            # Redis is down: the worker is reconnecting to its broker anyway.
            logger.warning("celery.heartbeat_failed", extra={"error": repr(exc)})


app.steps["worker"].add(Heartbeat)


@worker_ready.connect
def recover_outbox_on_start(sender=None, **kwargs):
    """Queue a sweep when a worker starts, so that attempts left "sending" by a killed worker
    are sent again within seconds instead of at the next beat tick."""
    try:
        sender.app.send_task("notifications.periodic.outbox_requeue_due_task")
    except Exception as exc:
        logger.warning("celery.startup_sweep_not_queued", extra={"error": repr(exc)})
