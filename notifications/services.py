"""Recording notifications, queueing their delivery, and members' choices.

Producers call `notify()` inside the transaction of the change they announce: the rows commit or
roll back with it, and the immediate ones are queued for the Celery tasks (`tasks.py`) once the
transaction commits. The tasks send them through the outbox (`outbox.py`: the order of the row's
states and SMTP there is what no crash can turn into a lost email). Failed attempts are retried
with exponential backoff by the periodic sweep here (`outbox_requeue_due`), not by Celery ETAs
(on Redis an ETA beyond the visibility timeout is delivered twice).
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from . import kinds, rendering
from .centre import unread_changed_after_commit
from .models import (
    DIGEST_FREQUENCIES,
    Digest,
    DigestSchedule,
    Frequency,
    Notification,
    NotificationPreference,
)
from .outbox import (
    FAILED,
    PENDING,
    SUPPRESSED,
    broker_backlog,
    conf,
    digest_slot,
    outbox_recover_abandoned,
)
from .tasks import digest_deliver_task, notifications_deliver_task

if TYPE_CHECKING:
    from members.models import User

logger = logging.getLogger(__name__)


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
        if user is not None and kind != kinds.ACCOUNT:
            # A member's invitation shows in their notification centre too.
            unread_changed_after_commit([user])
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


# --- The periodic sweep ------------------------------------------------------------------------


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
