"""Checks behind /healthz, for load balancers and monitoring: database, cache, broker,
migrations, the Celery workers (their heartbeats) and the email outbox (how late it is).

The JSON report adds what the checks saw: each worker's last heartbeat and the outbox's oldest
pending email, so a dead worker or a stuck outbox shows with numbers, not only "unavailable".
"""

import dataclasses
import functools
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils.translation import gettext as _
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


def closing_connection(run):
    """Sync checks run in the view's executor threads: close the connection each opened there,
    or every probe leaves one behind (and a test database cannot be dropped)."""

    @functools.wraps(run)
    def wrapper(self):
        try:
            return run(self)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections[DEFAULT_DB_ALIAS].close()

    return wrapper


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Unhealthy while the database lacks a migration the code expects (mid-deploy)."""

    @closing_connection
    def run(self):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise ServiceUnavailable(f"{len(pending)} unapplied migration(s)")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker (Redis) answers. In the embedded default there is no broker."""

    def run(self):
        if not settings.REDIS_URL:
            return
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            raise ServiceUnavailable("broker unreachable") from exc


@dataclasses.dataclass
class Workers(HealthCheck):
    """At least one Celery worker wrote its heartbeat within three intervals (30 s by default).
    Without a broker, or with tasks run in-process, there is no worker to wait for."""

    def run(self):
        from cssp_portal.celery import app, heartbeat_interval, heartbeats

        if not settings.REDIS_URL or app.conf.task_always_eager:
            self.report = {"mode": "in-process"}
            return
        try:
            beats = heartbeats()
        except Exception as exc:
            raise ServiceUnavailable(_("worker heartbeats unreadable")) from exc
        now = time.time()
        self.report = {
            hostname: {
                "pid": beat["pid"],
                "seconds_since_heartbeat": round(now - beat["at"], 1),
            }
            for hostname, beat in sorted(beats.items())
        }
        if not beats:
            raise ServiceUnavailable(
                _("no worker heartbeat in the last %(seconds)d seconds")
                % {"seconds": 3 * heartbeat_interval()}
            )


CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    Broker,
    Migrations,
    Workers,
    # The notifications app's own check (it sits above this wiring's helpers).
    "notifications.health.Outbox",
)


class HealthView(HealthCheckView):
    """django-health-check's view; its JSON also carries the checks' reports (workers, outbox)."""

    checks = CHECKS

    def render_to_response_json(self, status):
        body = {
            repr(result.check): "OK" if not result.error else str(result.error)
            for result in self.results
        }
        for result in self.results:
            report = getattr(result.check, "report", None)
            if report is not None:
                body[type(result.check).__name__.lower()] = report
        return JsonResponse(body, status=status)


class ReadyView(HealthView):
    """What a load balancer asks: can this web process serve pages? The database and the
    migrations only. A cache or broker outage slows pages down and a dead worker delays
    e-mail, but neither stops the portal from serving, so they must not take web servers out
    of rotation: /healthz reports them (and fails) for monitoring."""

    checks = ("health_check.checks.Database", Migrations)
