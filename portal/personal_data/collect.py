"""`personal_data_of(user)`: every category of a person's data, in CATEGORIES order (the order of
the page and of the files: app by app, from the account to the API tokens).

Each category is read with one query (two for the account: the row and its expertise areas),
whatever the number of rows, and gives plain values only: never another person's name or address
(a thread the person started lists their own messages, an invitation they sent names the
community, not the invitee), never a secret (passwords, API token keys, calendar-feed tokens,
two-factor keys and codes).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from members.models import User

from .categories import (
    Category,
    api,
    communities,
    consultations,
    events,
    knowledge,
    members,
    notifications,
    proposals,
)

CATEGORIES: tuple[Category, ...] = (
    *members.CATEGORIES,
    *communities.CATEGORIES,
    *events.CATEGORIES,
    *consultations.CATEGORIES,
    *knowledge.CATEGORIES,
    *proposals.CATEGORIES,
    *notifications.CATEGORIES,
    *api.CATEGORIES,
)


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def personal_data_of(user: User) -> dict[str, list[dict]]:
    """Every category of `user`'s data, as lists of plain rows (JSON-ready), in CATEGORIES
    order. A bounded number of queries: one per category (two for the account)."""
    seen: dict = {}
    return {
        category.key: [
            {key: _plain(value) for key, value in row.items()} for row in category.read(user, seen)
        ]
        for category in CATEGORIES
    }
