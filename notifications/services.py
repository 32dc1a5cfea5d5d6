"""Recording notifications and delivering them.

Producers call `notify()` inside the transaction of the change they announce: the rows commit or
roll back with it. Delivery reads the rows back under a lock, renders each in its recipient's
language and hands it to the mail server (see "Delivery" below for the order of the row's states
and SMTP, which no crash can turn into a lost email).
Failed attempts are retried with exponential backoff by the periodic sweep, not by Celery ETAs
(on Redis an ETA beyond the visibility timeout is delivered twice).
"""

import contextlib
import datetime
import logging
import secrets
import time
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from members.models import User

from . import kinds, rendering
from .centre import unread_changed_after_commit
from .models import (
    DIGEST_FREQUENCIES,
    DeliveryState,
    Digest,
    DigestSchedule,
    Frequency,
    Notification,
    NotificationPreference,
)
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


# --- Recording ---------------------------------------------------------------------------------


def preferences_resolve(
    *, kind: kinds.Kind, user_ids: Sequence[int], community_id: int | None
) -> dict[int, str]:
    """Each user's delivery for `kind` about `community_id`: their choice for that community,
    else their general choice for the kind, else the kind's default. One query for everyone."""
    resolved = dict.fromkeys(user_ids, kind.default)
    if kind.locked:
        return dict.fromkeys(user_ids, Frequency.IMMEDIATE)
    scope = Q(community__isnull=True)
    if community_id is not None:
        scope |= Q(community_id=community_id)
    rows = NotificationPreference.objects.filter(
        scope, kind=kind.code, user_id__in=list(user_ids)
    ).values_list("user_id", "community_id", "frequency")
    # General choices first, so that a community's choice overrides them.
    for user_id, _community, frequency in sorted(rows, key=lambda r: r[1] is not None):
        resolved[user_id] = frequency
    return resolved


@transaction.atomic
def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    about=None,
    community=None,
    context: dict | None = None,
    key: str = "",
) -> list[Notification]:
    """Record one notification of `kind` per recipient (duplicates and repeats of `key` are
    dropped) and queue the immediate ones for delivery once the transaction commits.

    Each recipient's preferences decide immediate, digest or nothing (recorded as suppressed);
    inactive accounts are suppressed too. Runs a fixed number of queries whatever the fan-out.
    """
    spec = kinds.get_kind(kind)
    unique = {user.pk: user for user in recipients}
    if not unique:
        return []
    community_id = community.pk if community is not None else None
    frequencies = preferences_resolve(kind=spec, user_ids=list(unique), community_id=community_id)
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    plain_context = rendering.to_json_context(context or {})
    now = timezone.now()
    rows = []
    for user in unique.values():
        frequency = frequencies[user.pk]
        wanted = user.is_active and bool(user.email) and frequency != Frequency.OFF
        immediate = wanted and frequency == Frequency.IMMEDIATE
        rows.append(
            Notification(
                kind=spec.code,
                recipient=user,
                email=user.email,
                language=user.preferred_language,
                community_id=community_id,
                about_type=about_type,
                about_id=str(about.pk) if about is not None else "",
                context=plain_context,
                key=key,
                frequency=frequency,
                state=PENDING if wanted else SUPPRESSED,
                next_attempt_at=now if immediate else None,
                enqueued_at=now if immediate else None,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=bool(key))
    _queue_after_commit(
        Notification,
        [row.pk for row in rows if row.state == PENDING and row.frequency == Frequency.IMMEDIATE],
    )
    # The notification centre lists every row, whatever the email delivery: its header count
    # changes for everyone notified.
    unread_changed_after_commit(unique.values())
    return rows


@transaction.atomic
def notify_address(
    *,
    kind: str,
    email: str,
    language: str,
    user: User | None = None,
    about=None,
    community=None,
    context: dict | None = None,
    key: str = "",
) -> Notification:
    """Record one immediate email to an address that may have no account behind it (an
    invitation to someone new, allauth's mail), rendered in `language` unless `user` has a
    preferred one. A repeated `key` is dropped."""
    now = timezone.now()
    notification = Notification(
        kind=kinds.get_kind(kind).code,
        recipient=user,
        email=email,
        language=language,
        community=community,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=str(about.pk) if about is not None else "",
        context=rendering.to_json_context(context or {}),
        key=key,
        frequency=Frequency.IMMEDIATE,
        next_attempt_at=now,
        enqueued_at=now,
    )
    created = Notification.objects.bulk_create([notification], ignore_conflicts=bool(key))
    if created and (not key or Notification.objects.filter(pk=notification.pk).exists()):
        _queue_after_commit(Notification, [notification.pk])
    return notification


def notify_account_email(
    *, template_prefix: str, email: str, context: dict, user: User | None, language: str
) -> Notification:
    """Record one of allauth's emails (confirmation, reset, security notice). These are always
    immediate and cannot be turned off; they may go to an address with no account behind it."""
    return notify_address(
        kind=kinds.ACCOUNT,
        email=email,
        language=language,
        user=user,
        context={**context, "template_prefix": template_prefix},
    )


def _queue_after_commit(model, ids: list) -> None:
    if ids:
        # robust: a failure after the commit must never reach the person whose change committed.
        transaction.on_commit(partial(_queue, model, ids), robust=True)


def _queue(model, ids: list) -> None:
    """Hand ids to Celery in batches. If the broker is unreachable, the rows stay pending and
    are marked so that the next sweep queues them: nothing is lost and the caller never fails.

    Any exception is caught, not only kombu's: depending on where Redis dies, redis-py's own
    ConnectionError or a TimeoutError comes through, and a user's committed write must not
    turn into an error page because of it."""
    from .tasks import digest_deliver_task, notifications_deliver_task

    if model is Digest:
        batches = [[pk] for pk in ids]
        task = digest_deliver_task
    else:
        size = conf("BATCH_SIZE")
        batches = [ids[start : start + size] for start in range(0, len(ids), size)]
        task = notifications_deliver_task
    for index, batch in enumerate(batches):
        try:
            if time.monotonic() < _broker_down_until[0]:
                raise BrokerSkipped("the broker failed moments ago")
            task.delay([str(pk) for pk in batch])
        except Exception as exc:
            if not isinstance(exc, BrokerSkipped):
                # For a few seconds this process stops trying: during an outage each write
                # would otherwise wait for the publish retries (about 1.5 s) in turn.
                _broker_down_until[0] = time.monotonic() + BROKER_PAUSE_SECONDS
            unqueued = [pk for rest in batches[index:] for pk in rest]
            logger.warning(
                "notifications.queue_failed",
                extra={"model": model.__name__, "count": len(unqueued), "error": repr(exc)},
            )
            try:
                model.objects.filter(pk__in=unqueued, state=PENDING).update(enqueued_at=None)
            except DatabaseError:
                # The sweep also takes rows queued long ago: this only makes it sooner.
                logger.warning("notifications.queue_failed_unmarked", exc_info=True)
            return


class BrokerSkipped(Exception):
    pass


BROKER_PAUSE_SECONDS = 5.0
_broker_down_until = [0.0]


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


# --- The periodic sweep ------------------------------------------------------------------------


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
        logger.warning("notifications.broker_backlog_unknown", extra={"error": repr(exc)})
        return None


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


def outbox_requeue_due(*, now: datetime.datetime | None = None) -> int:
    """Recover abandoned attempts, then queue again every pending notification and digest that
    is due and whose task is not in flight. Returns how many were queued.

    A row's task is taken as lost (Redis restarted, a worker killed with its prefetched tasks)
    when it was queued more than LOST_TASK_SECONDS ago and the broker's queue is empty, or more
    than DRAIN_SECONDS ago whatever the queue holds (the largest fan-out is still draining)."""
    now = now or timezone.now()
    outbox_recover_abandoned(now=now)
    backlog = broker_backlog()
    limit = conf("LOST_TASK_SECONDS") if backlog == 0 else conf("DRAIN_SECONDS")
    stale = now - datetime.timedelta(seconds=limit)
    waiting = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    total = 0
    for model, due in (
        (Notification, Q(state=PENDING, frequency=Frequency.IMMEDIATE, next_attempt_at__lte=now)),
        (Digest, Q(state=PENDING, next_attempt_at__lte=now)),
    ):
        # Rows are claimed under lock (skip_locked): two sweeps running at once (a backlog of
        # beat ticks) never queue the same rows twice.
        with transaction.atomic():
            ids = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(due, waiting)
                .order_by("next_attempt_at")
                .values_list("pk", flat=True)[: conf("REQUEUE_LIMIT")]
            )
            model.objects.filter(pk__in=ids).update(enqueued_at=now)
        if ids:
            _queue(model, ids)
            total += len(ids)
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


def digests_collect_due(*, now: datetime.datetime | None = None) -> int:
    """Gather each member's pending digest items that came before their last scheduled slot
    into one digest per slot, and queue those digests. An item joins exactly one digest; a slot
    gets at most one digest. Returns how many digests were queued."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(
        state=PENDING, digest__isnull=True, frequency__in=DIGEST_FREQUENCIES
    )
    pairs = set(waiting.order_by().values_list("recipient_id", "frequency").distinct())
    schedules = {
        s.user_id: s
        for s in DigestSchedule.objects.filter(user_id__in={user_id for user_id, _ in pairs})
    }
    queued = []
    for user_id, frequency in sorted(pairs):
        schedule = schedules.get(user_id) or DigestSchedule(user_id=user_id)
        slot = digest_slot(now=now, schedule=schedule, frequency=frequency)
        with transaction.atomic():
            due = waiting.filter(recipient_id=user_id, frequency=frequency, created_at__lt=slot)
            if not due.exists():
                continue
            digest, _created = Digest.objects.get_or_create(
                recipient_id=user_id,
                frequency=frequency,
                period_end=slot,
                defaults={"next_attempt_at": now, "enqueued_at": now},
            )
            # Wait for a delivery in progress; a digest already sent for this slot keeps its
            # items: these late ones go into the next slot's digest.
            digest = Digest.objects.select_for_update().get(pk=digest.pk)
            if digest.state != PENDING:
                continue
            due.update(digest=digest)
            queued.append(digest.pk)
    _queue(Digest, queued)
    return len(queued)


# --- Administration and preferences ------------------------------------------------------------


@transaction.atomic
def outbox_resend(*, model, ids: Iterable) -> int:
    """Give failed notifications or digests a fresh set of attempts, starting now."""
    now = timezone.now()
    pks = list(
        model.objects.select_for_update()
        .filter(pk__in=list(ids), state=FAILED)
        .values_list("pk", flat=True)
    )
    model.objects.filter(pk__in=pks).update(
        state=PENDING, attempts=0, next_attempt_at=now, enqueued_at=now
    )
    if model is Notification:
        # Items of a failed digest are resent with their digest, not one by one.
        pks = list(
            Notification.objects.filter(pk__in=pks, frequency=Frequency.IMMEDIATE).values_list(
                "pk", flat=True
            )
        )
    _queue_after_commit(model, pks)
    return len(pks)


@transaction.atomic
def preferences_unsubscribe(*, user: User, kind_code: str) -> list[kinds.Kind]:
    """Turn off one kind (or, with "*", every optional kind) everywhere for `user`, including
    their per-community choices, and drop the pending digest items of those kinds."""
    targets = kinds.unsubscribable(kind_code)
    if not targets:
        return []
    codes = [kind.code for kind in targets]
    for code in codes:
        NotificationPreference.objects.update_or_create(
            user=user, kind=code, community=None, defaults={"frequency": Frequency.OFF}
        )
    NotificationPreference.objects.filter(
        user=user, kind__in=codes, community__isnull=False
    ).update(frequency=Frequency.OFF)
    Notification.objects.filter(
        recipient=user,
        kind__in=codes,
        state=PENDING,
        digest__isnull=True,
        frequency__in=DIGEST_FREQUENCIES,
    ).update(state=SUPPRESSED)
    return targets


@transaction.atomic
def preferences_save(
    *,
    user: User,
    general: dict[str, str],
    per_community: dict[tuple[str, int], str],
    schedule: DigestSchedule,
) -> None:
    """Store a member's choices. `general` maps kind codes to a frequency; `per_community` maps
    (kind code, community id) to a frequency, or "" to follow the general choice."""
    for code, frequency in general.items():
        if kinds.KINDS[code].locked:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=code, community=None, defaults={"frequency": frequency}
        )
    for (code, community_id), frequency in per_community.items():
        if kinds.KINDS[code].locked:
            continue
        if frequency:
            NotificationPreference.objects.update_or_create(
                user=user, kind=code, community_id=community_id, defaults={"frequency": frequency}
            )
        else:
            NotificationPreference.objects.filter(
                user=user, kind=code, community_id=community_id
            ).delete()
    schedule.user = user
    schedule.full_clean()
    schedule.save()
