"""Checks behind /healthz, for load balancers: database, cache, broker, migrations."""

import dataclasses

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Unhealthy while the database lacks a migration the code expects (mid-deploy)."""

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


CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    Broker,
    Migrations,
)
