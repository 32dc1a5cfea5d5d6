"""The outbox: claiming recorded notifications and digests and handing them to the mail server.

`notifications.services` records rows and queues them; the Celery tasks (`tasks.py`) call the
delivery functions here with ids; the periodic sweep (`services.outbox_requeue_due`) queues what
is due again. Nothing here queues a task, so services -> tasks -> outbox runs one way.
"""

import contextlib
import datetime
import logging
import secrets
import zoneinfo
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from . import kinds, rendering
from .models import DeliveryState, Digest, DigestSchedule, Frequency, Notification
from .transport import Transport, is_permanent, open_transport

logger = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED, SUPPRESSED = (
    DeliveryState.PENDING,
    DeliveryState.SENDING,
    DeliveryState.SENT,
    DeliveryState.FAILED,
    DeliveryState.SUPPRESSED,
)


def conf(name: str):
    return settings.NOTIFICATIONS[name]


# --- Delivery ----------------------------------------------------------------------------------
#
# 1. claim: in one short transaction, the rows become "sending" with this process's claim
#    (a random key whose PostgreSQL advisory lock the process holds for the whole delivery);
# 2. the email goes to the mail server, whole;
# 3. the server's "250" turns the row into "sent" (or a refusal into pending/failed).
# A process killed before 3 leaves "sending" rows whose lock died with its database session:
# the next claim of the same ids (a retried task) or the sweep takes them again. Only a death
# between the server's "250" and step 3 sends twice, with the same Message-ID.


@contextlib.contextmanager
def _claim_held() -> Iterator[int]:
    """A fresh claim key, locked (session-level advisory lock) until the block ends. The lock
    disappears with the database session: a killed process, a PostgreSQL restart."""
    key = secrets.randbits(62) + 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            # The outcomes recorded while sending need not wait for the WAL flush (see
            # _mark_sent); the claim itself does (_claim turns it back on).
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield key
    finally:
        if connection.vendor == "postgresql":
            try:
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:
                pass  # the session is gone, and its lock with it


def _claims_alive(claims: set[int]) -> set[int]:
    """Which of `claims` a living process still holds. Call it after reading the rows: a claim
    is locked before any row carries it, so a row read earlier never looks abandoned wrongly."""
    if not claims:
        return set()
    with connection.cursor() as cursor:
        # A bigint advisory key shows as classid (high half), objid (low half), objsubid 1.
        cursor.execute(
            "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks "
            "WHERE locktype = 'advisory' AND objsubid = 1 AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        held = {row[0] for row in cursor.fetchall()}
    return claims & held


def _abandoned(rows, *, now: datetime.datetime) -> list:
    """The "sending" rows among `rows` whose process died mid-attempt. Without PostgreSQL (the
    embedded SQLite default, one process, no advisory locks) a claim older than
    CLAIM_LEASE_SECONDS is taken as abandoned."""
    sending = [row for row in rows if row.state == SENDING]
    if not sending:
        return []
    if connection.vendor != "postgresql":
        lease = now - datetime.timedelta(seconds=conf("CLAIM_LEASE_SECONDS"))
        return [row for row in sending if row.claimed_at is None or row.claimed_at < lease]
    alive = _claims_alive({row.claim for row in sending if row.claim})
    return [row for row in sending if row.claim not in alive]


def _claim(queryset, *, key: int) -> list:
    """Lock the pending (or abandoned "sending") rows of `queryset` that no other process holds,
    mark them "sending" under `key` and return them, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Durable before any email leaves: a claim lost in a PostgreSQL crash would turn a
            # sent email back into a pending one that nobody flags as uncertain.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO ON")
        rows = list(
            queryset.select_for_update(skip_locked=True, of=("self",)).filter(
                state__in=[PENDING, SENDING]
            )
        )
        abandoned = _abandoned(rows, now=now)
        rows = sorted(
            [row for row in rows if row.state == PENDING] + abandoned, key=_delivery_order
        )
        if not rows:
            return []
        model = queryset.model
        model.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=SENDING, claim=key, claimed_at=now, attempts=F("attempts") + 1
        )
        _record_interrupted(model, abandoned)
    for row in rows:
        row.state, row.claim, row.claimed_at = SENDING, key, now
        row.attempts += 1
    return rows


def _delivery_order(row):
    return (row.created_at, str(row.pk))


def _record_interrupted(model, abandoned: list) -> None:
    """Flag the attempts of dead processes whose outcome is unknown. A process sends its claimed
    rows one by one in delivery order and settles each before the next, so of the rows an
    abandoned claim still holds only the first may have reached the server: the others were
    never tried and are simply taken again."""
    first_of_claim = {}
    for row in sorted(abandoned, key=_delivery_order):
        first_of_claim.setdefault(row.claim, row.pk)
    pks = list(first_of_claim.values())
    if not pks:
        return
    logger.warning(
        "notifications.attempt_interrupted",
        extra={"model": model.__name__, "count": len(pks), "ids": [str(pk) for pk in pks]},
    )
    model.objects.filter(pk__in=pks).update(interrupted=F("interrupted") + 1)


def _mark_sent(model, pk, *, key: int, **changes) -> None:
    """The server accepted the email: record it, in one statement. The session does not wait
    for the WAL flush (_claim_held): the update is only lost if PostgreSQL itself crashes, and
    then the row is still "sending" under a dead claim, sent again with the same Message-ID and
    flagged uncertain. That saves a disk flush and three round trips per email."""
    model.objects.filter(pk=pk, state=SENDING, claim=key).update(
        state=SENT, sent_at=timezone.now(), claim=None, **changes
    )


def notifications_deliver(*, ids: Sequence[str]) -> None:
    """Send each pending immediate notification among `ids` once. Rows another worker holds or
    already sent are skipped, so a redelivered or duplicated task is harmless.

    A database error is raised (the task retries); a mail error is recorded on the row."""
    with _claim_held() as key, open_transport() as transport:
        claimed = _claim(
            Notification.objects.filter(pk__in=list(ids), frequency=Frequency.IMMEDIATE)
            .select_related("recipient", "community")
            .order_by("created_at", "pk"),
            key=key,
        )
        for notification in claimed:
            _deliver_one(transport, notification, key=key)


def _deliver_one(transport: Transport, notification: Notification, *, key: int) -> None:
    if notification.recipient_id and not notification.recipient.is_active:
        Notification.objects.filter(pk=notification.pk, claim=key).update(
            state=SUPPRESSED, claim=None
        )
        return
    try:
        transport.send(rendering.render_notification(notification))
    except DatabaseError:
        raise
    except Exception as exc:
        _attempt_failed(Notification, notification.pk, exc, key=key)
        return
    changes = {}
    if kinds.get_kind(notification.kind).secret_context:
        # Confirmation links, reset keys and codes are no business of the outbox once sent.
        changes["context"] = {"template_prefix": notification.context.get("template_prefix", "")}
    _mark_sent(Notification, notification.pk, key=key, **changes)


def digest_deliver(*, digest_id) -> None:
    """Send one pending digest with the items attached to it, once."""
    with _claim_held() as key, open_transport() as transport:
        claimed = _claim(Digest.objects.filter(pk=digest_id).select_related("recipient"), key=key)
        if claimed:
            _deliver_digest(transport, claimed[0], key=key)


def _deliver_digest(transport: Transport, digest: Digest, *, key: int) -> None:
    items = list(
        digest.items.filter(state=PENDING)
        .select_related("community", "recipient")
        .prefetch_related("about")
        .order_by("created_at")
    )
    if not items or not digest.recipient.is_active:
        with transaction.atomic():
            Notification.objects.filter(pk__in=[i.pk for i in items]).update(state=SUPPRESSED)
            Digest.objects.filter(pk=digest.pk, claim=key).update(state=SUPPRESSED, claim=None)
        return
    try:
        transport.send(rendering.render_digest(digest, items))
    except DatabaseError:
        raise
    except Exception as exc:
        _attempt_failed(Digest, digest.pk, exc, key=key)
        return
    with transaction.atomic():
        _mark_sent(Digest, digest.pk, key=key)
        Notification.objects.filter(pk__in=[i.pk for i in items], state=PENDING).update(
            state=SENT, sent_at=timezone.now()
        )


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: base, 2 × base, 4 × base… capped."""
    seconds = conf("RETRY_BASE_SECONDS") * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, conf("RETRY_MAX_SECONDS")))


@transaction.atomic
def _attempt_failed(model, pk, exc: Exception, *, key: int) -> None:
    """Record a failed attempt (the server refused or could not be reached): pending again with
    a later next attempt, or failed for good after the last attempt or a permanent refusal."""
    logger.warning(
        "notifications.attempt_failed",
        exc_info=not isinstance(exc, OSError),
        extra={"model": model.__name__, "id": str(pk), "error": str(exc)},
    )
    row = model.objects.select_for_update().filter(pk=pk, state=SENDING, claim=key).first()
    if row is None:
        return
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    row.sent_at = None
    row.enqueued_at = None
    row.claim = row.claimed_at = None
    if is_permanent(exc) or row.attempts >= conf("MAX_ATTEMPTS"):
        row.state, row.next_attempt_at = FAILED, None
    else:
        row.state = PENDING
        row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
    row.save()


# --- What the sweep and the health check read -------------------------------------------------


def broker_backlog() -> int | None:
    """How many messages wait in the broker's default queue (not those a worker holds), or
    None when the broker cannot say (unreachable, or no broker: tasks run in-process)."""
    from cssp_portal.celery import app

    if app.conf.task_always_eager:
        return 0
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1)
            declared = conn.default_channel.queue_declare(
                queue=app.conf.task_default_queue, passive=True
            )
            return declared.message_count
    except Exception as exc:
        if _queue_not_found(exc):
            # Redis deletes a list when its last message is taken: an empty queue does not
            # exist (and an AMQP queue nobody declared holds nothing either).
            return 0
        logger.warning("notifications.broker_backlog_unknown", extra={"error": repr(exc)})
        return None


def _queue_not_found(exc: Exception) -> bool:
    """A passive declare's "404 NOT_FOUND": kombu's virtual transports (Redis) raise a
    ChannelError saying so, py-amqp its NotFound."""
    from amqp.exceptions import NotFound
    from kombu.exceptions import ChannelError

    return isinstance(exc, NotFound) or (isinstance(exc, ChannelError) and "NOT_FOUND" in str(exc))


def outbox_recover_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Make every "sending" row whose process died (its claim's lock is free) pending again, due
    now, flagged as interrupted. Returns how many."""
    now = now or timezone.now()
    total = 0
    for model in (Notification, Digest):
        with transaction.atomic():
            rows = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(state=SENDING)
                .only("pk", "state", "claim", "claimed_at", "created_at")
            )
            abandoned = _abandoned(rows, now=now)
            pks = [row.pk for row in abandoned]
            if pks:
                model.objects.filter(pk__in=pks).update(
                    state=PENDING, claim=None, next_attempt_at=now, enqueued_at=None
                )
                _record_interrupted(model, abandoned)
        total += len(pks)
    return total


def outbox_status(*, now: datetime.datetime | None = None) -> dict:
    """What the health check reports: the age of the oldest pending immediate email, how late
    the most overdue one is, and how many attempts are in flight or uncertain."""
    now = now or timezone.now()
    pending = Notification.objects.filter(state=PENDING, frequency=Frequency.IMMEDIATE)
    oldest = pending.aggregate(oldest=Min("created_at"), due=Min("next_attempt_at"))
    return {
        "oldest_pending_seconds": _age(now, oldest["oldest"]),
        "overdue_seconds": max(_age(now, oldest["due"]) or 0, 0) if oldest["due"] else 0,
        "sending": Notification.objects.filter(state=SENDING).count(),
    }


def _age(now, moment) -> float | None:
    return round((now - moment).total_seconds(), 1) if moment is not None else None


# --- Digests -----------------------------------------------------------------------------------


def digest_slot(
    *, now: datetime.datetime, schedule: DigestSchedule, frequency: str
) -> datetime.datetime:
    """The most recent moment, at or before `now`, when this member's digest was due."""
    local = now.astimezone(zoneinfo.ZoneInfo(schedule.time_zone))
    slot = local.replace(hour=schedule.hour, minute=0, second=0, microsecond=0)
    if frequency == Frequency.WEEKLY:
        slot -= datetime.timedelta(days=(local.weekday() - schedule.weekday) % 7)
        step = datetime.timedelta(days=7)
    else:
        step = datetime.timedelta(days=1)
    if slot > local:
        slot -= step
    # Wall-clock arithmetic across a DST change: normalise through UTC.
    return slot.astimezone(datetime.UTC)
