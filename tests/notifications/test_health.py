"""/healthz notices a dead worker (no heartbeat) and a stuck outbox, and its JSON says why."""

import datetime
import json
import time

import pytest
from django.utils import timezone

from cssp_portal.celery import HEARTBEAT_PREFIX, _redis, app
from notifications import kinds
from notifications.models import Notification
from tests.notifications.factories import NotificationFactory

# The checks run in threads of their own, which only see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def with_workers(monkeypatch):
    """As in production: tasks go to workers, not run in-process."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    client = _redis()
    yield client
    for key in client.scan_iter(match=HEARTBEAT_PREFIX + "*"):
        client.delete(key)


def health(client):
    response = client.get("/healthz?format=json")
    return response.status_code, response.json()


def test_health_fails_when_no_worker_has_a_heartbeat(client, with_workers):
    status, report = health(client)
    assert status == 500
    assert report["workers"] == {}
    assert any(
        "no worker heartbeat in the last 30 seconds" in value
        for value in report.values()
        if isinstance(value, str)
    )


def test_health_reports_each_living_worker_and_the_outbox(client, with_workers):
    with_workers.set(
        HEARTBEAT_PREFIX + "celery@box", json.dumps({"pid": 42, "at": time.time() - 2}), ex=30
    )
    status, report = health(client)
    assert status == 200, report
    assert report["workers"]["celery@box"]["pid"] == 42
    assert 1 <= report["workers"]["celery@box"]["seconds_since_heartbeat"] < 10
    assert report["outbox"] == {"oldest_pending_seconds": None, "overdue_seconds": 0, "sending": 0}


def test_health_fails_when_the_outbox_is_overdue(client, settings):
    # an email whose task was lost two hours ago, and no sweep has run since
    NotificationFactory(kind=kinds.ACCOUNT, recipient=None, email="a@example.gc.ca", community=None)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Notification.objects.update(created_at=long_ago, next_attempt_at=long_ago)
    status, report = health(client)
    assert status == 500
    assert report["outbox"]["oldest_pending_seconds"] >= 7200
    assert any("seconds overdue" in value for value in report.values() if isinstance(value, str))
