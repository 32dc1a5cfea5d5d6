"""Recording notifications and delivering them.

Producers call `notify()` inside the transaction of the change they announce: the rows commit or
roll back with it. Delivery reads the rows back under a lock, renders each in its recipient's
language and hands it to the mail server (see transport.py for the order of "sent" and SMTP).
Failed attempts are retried with exponential backoff by the periodic sweep, not by Celery ETAs
(on Redis an ETA beyond the visibility timeout is delivered twice).
"""

import datetime
import logging
import zoneinfo
from collections.abc import Iterable, Sequence
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from members.models import User

from . import kinds, rendering
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

PENDING, SENT, FAILED, SUPPRESSED = (
    DeliveryState.PENDING,
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
        transaction.on_commit(partial(_queue, model, ids))


def _queue(model, ids: list) -> None:
    """Hand ids to Celery in batches. If the broker is unreachable, the rows stay pending and
    are marked so that the next sweep queues them: nothing is lost and the caller never fails."""
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
            task.delay([str(pk) for pk in batch])
        except (BrokerError, OSError) as exc:
            unqueued = [pk for rest in batches[index:] for pk in rest]
            logger.warning(
                "notifications.queue_failed",
                extra={"model": model.__name__, "count": len(unqueued), "error": str(exc)},
            )
            model.objects.filter(pk__in=unqueued, state=PENDING).update(enqueued_at=None)
            return


# --- Delivery ----------------------------------------------------------------------------------


def notifications_deliver(*, ids: Sequence[str]) -> None:
    """Send each pending immediate notification among `ids` once. Rows another worker holds or
    already sent are skipped, so a redelivered or duplicated task is harmless."""
    with open_transport() as transport:
        for pk in ids:
            _deliver_one(transport, pk)


def _send_once(transport: Transport, model, pk, claim_and_stage) -> bool:
    """The order that keeps a row and the mail server in agreement (see transport.py): in one
    transaction `claim_and_stage()` locks the row, stages its message and marks it sent (or
    returns False when there is nothing to send); the commit; then the end of the message.
    Any failure is recorded as an attempt. Returns True when the email was delivered."""
    try:
        with transaction.atomic():
            if not claim_and_stage():
                return False
    except Exception as exc:
        transport.abort()
        _attempt_failed(model, pk, exc, committed=False)
        return False
    try:
        transport.finish()
    except Exception as exc:
        _attempt_failed(model, pk, exc, committed=True)
        return False
    return True


def _deliver_one(transport: Transport, pk) -> None:
    claimed: list[Notification] = []

    def claim_and_stage() -> bool:
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "community")
            .filter(pk=pk, state=PENDING, frequency=Frequency.IMMEDIATE)
            .first()
        )
        if notification is None:
            return False
        if notification.recipient_id and not notification.recipient.is_active:
            notification.state = SUPPRESSED
            notification.save(update_fields=["state"])
            return False
        transport.stage(rendering.render_notification(notification))
        notification.state = SENT
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["state", "sent_at", "attempts"])
        claimed.append(notification)
        return True

    if not _send_once(transport, Notification, pk, claim_and_stage):
        return
    notification = claimed[0]
    if kinds.get_kind(notification.kind).secret_context:
        # Confirmation links, reset keys and codes are no business of the outbox once sent.
        Notification.objects.filter(pk=pk).update(
            context={"template_prefix": notification.context.get("template_prefix", "")}
        )


def digest_deliver(*, digest_id) -> None:
    """Send one pending digest with the items attached to it, once."""
    with open_transport() as transport:
        _deliver_digest(transport, digest_id)


def _deliver_digest(transport: Transport, digest_id) -> None:
    def claim_and_stage() -> bool:
        digest = (
            Digest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=digest_id, state=PENDING)
            .first()
        )
        if digest is None:
            return False
        items = list(
            digest.items.filter(state=PENDING)
            .select_related("community", "recipient")
            .prefetch_related("about")
            .order_by("created_at")
        )
        if not items or not digest.recipient.is_active:
            Notification.objects.filter(pk__in=[i.pk for i in items]).update(state=SUPPRESSED)
            digest.state = SUPPRESSED
            digest.save(update_fields=["state"])
            return False
        transport.stage(rendering.render_digest(digest, items))
        now = timezone.now()
        digest.state, digest.sent_at = SENT, now
        digest.attempts += 1
        digest.save(update_fields=["state", "sent_at", "attempts"])
        Notification.objects.filter(pk__in=[i.pk for i in items]).update(state=SENT, sent_at=now)
        return True

    _send_once(transport, Digest, digest_id, claim_and_stage)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: base, 2 × base, 4 × base… capped."""
    seconds = conf("RETRY_BASE_SECONDS") * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, conf("RETRY_MAX_SECONDS")))


@transaction.atomic
def _attempt_failed(model, pk, exc: Exception, *, committed: bool) -> None:
    """Record a failed attempt: pending again with a later next attempt, or failed for good
    after the last attempt or a permanent refusal. `committed` means the row had already been
    committed as sent when the server refused the end of the message."""
    logger.warning(
        "notifications.attempt_failed",
        exc_info=not isinstance(exc, OSError),
        extra={"model": model.__name__, "id": str(pk), "error": str(exc)},
    )
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None or row.state != (SENT if committed else PENDING):
        return
    if not committed:
        row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    row.sent_at = None
    row.enqueued_at = None
    if is_permanent(exc) or row.attempts >= conf("MAX_ATTEMPTS"):
        row.state, row.next_attempt_at = FAILED, None
    else:
        row.state = PENDING
        row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
    row.save()
    if model is Digest:
        row.items.filter(state=SENT).update(state=PENDING, sent_at=None)


# --- The periodic sweep ------------------------------------------------------------------------


def outbox_requeue_due(*, now: datetime.datetime | None = None) -> int:
    """Queue again every pending notification and digest that is due and whose task is not in
    flight (never queued, its broker was down, or queued longer ago than REQUEUE_AFTER_SECONDS:
    the task was lost with Redis or with a killed worker). Returns how many were queued."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=conf("REQUEUE_AFTER_SECONDS"))
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
