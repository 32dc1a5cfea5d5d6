"""The in-app notification centre: the member's notifications, read state and unread count.

The header shows the unread count on every signed-in page. It is kept in the cache per person
and dropped whenever that person's count may change (a new notification once its transaction
commits, a "mark read"), so a page costs no query while nothing happens; on a miss, or with
the cache down, it is one COUNT on the partial index `notification_unread_idx`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cssp_portal.params import pk_or_none
from cssp_portal.people import signed_in, user_of

from . import kinds, rendering
from .models import Notification
from .policies import notifications_visible_to

logger = logging.getLogger(__name__)

UNREAD_CACHE_SECONDS = 600
# The header counts at most this many (then shows "99+"): the COUNT reads a bounded number of
# index entries, whatever a member's backlog. Measured with 50,000 notifications, 667 unread for
# one member: 1.2 ms on the partial index, a cache hit well under that.
UNREAD_CAP = 99


def _unread_key(user) -> str:
    # The account's creation instant beside its id: a database rebuilt from scratch (tests,
    # a restored dump) reuses ids, and must never read another account's kept count.
    return f"notifications:unread:{user.pk}:{user.date_joined.timestamp():.6f}"


def unread_count(who) -> int:
    """The number of unread notifications `who` sees in the centre, counted up to
    UNREAD_CAP + 1 (0 for visitors). The centre's own page counts exactly."""
    user = user_of(who)
    if not signed_in(user):
        return 0
    key = _unread_key(user)
    try:
        cached = cache.get(key)
    except Exception:  # a cache outage never fails a page: count from the database
        logger.warning("Cache unavailable: unread notifications counted from the database")
        cached = None
    if cached is not None:
        return cached
    count = notifications_visible_to(user).filter(read_at__isnull=True)[: UNREAD_CAP + 1].count()
    try:
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable: unread notification count not kept")
    return count


def _forget(users: Iterable) -> None:
    keys = [_unread_key(user) for user in users]
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except Exception:
        # The count may lag by UNREAD_CACHE_SECONDS at most; the centre's page is exact.
        logger.warning("Cache unavailable: unread notification counts not refreshed")


def unread_changed_after_commit(users: Iterable) -> None:
    """Drop the cached counts of `users` once the current transaction commits (at once
    outside a transaction)."""
    transaction.on_commit(partial(_forget, list(users)), robust=True)


@transaction.atomic
def notifications_mark_read(*, user, ids: Iterable | None = None) -> int:
    """Mark the member's own notifications read: those of `ids`, or every unread one when
    `ids` is None. Someone else's ids are ignored. Returns how many changed."""
    rows = notifications_visible_to(user).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    changed = rows.update(read_at=timezone.now())
    if changed:
        unread_changed_after_commit([user])
    return changed


def _about_model(notification: Notification):
    if not notification.about_type_id:
        return None
    return ContentType.objects.get_for_id(notification.about_type_id).model_class()


def attach_about(notifications: list[Notification]) -> None:
    """Read the objects the notifications are about, one query per kind of object, and keep
    each on its notification. An id that cannot be a key of its model, or whose object is
    gone, reads as no object (Django's own prefetch would raise on the first)."""
    about = Notification._meta.get_field("about")
    wanted: dict = {}
    for notification in notifications:
        model = _about_model(notification)
        pk = pk_or_none(model, notification.about_id) if model is not None else None
        if pk is not None:
            wanted.setdefault(model, set()).add(pk)
    found = {model: model._base_manager.in_bulk(list(pks)) for model, pks in wanted.items()}
    for notification in notifications:
        model = _about_model(notification)
        obj = None
        if model is not None:
            obj = found.get(model, {}).get(pk_or_none(model, notification.about_id))
        about.set_cached_value(notification, obj)


def centre_items(notifications: Iterable[Notification]) -> list[dict]:
    """Each notification of a page with its one-line summary, rendered in the active language,
    and the page it is about. The caller reads `community` with the rows and calls
    `attach_about`."""
    items = []
    for notification in notifications:
        try:
            kind = kinds.get_kind(notification.kind)
        except KeyError:
            kind = None
        summary = rendering.render_item_summary(notification) if kind and kind.template else ""
        items.append(
            {
                "notification": notification,
                "kind": kind,
                "summary": summary,
                "link": rendering.item_path(notification),
                "unread": notification.read_at is None,
            }
        )
    return items
