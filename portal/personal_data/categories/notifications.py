"""A person's data in the notifications app: the notifications sent to them, their email
preferences and their digest schedule."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from members.models import User

from . import Category


def _notifications(user: User, seen: dict) -> list[dict]:
    from notifications import kinds
    from notifications.models import Notification

    # What was sent and when; the stored context names other people (who joined, who asked).
    rows = []
    for n in (
        Notification.objects.filter(recipient=user)
        .select_related("community")
        .order_by("created_at")
    ):
        kind = kinds.KINDS.get(n.kind)
        rows.append(
            {
                "kind": kind.label if kind else n.kind,
                "address": n.email,
                "community": n.community.name if n.community else "",
                "email_state": n.get_state_display(),
                "created": n.created_at,
                "sent": n.sent_at,
                "read": n.read_at,
            }
        )
    return rows


def _preferences(user: User, seen: dict) -> list[dict]:
    from notifications import kinds
    from notifications.models import NotificationPreference

    rows = []
    for p in NotificationPreference.objects.filter(user=user).select_related("community"):
        kind = kinds.KINDS.get(p.kind)
        rows.append(
            {
                "kind": kind.label if kind else p.kind,
                "community": p.community.name if p.community else "",
                "delivery": p.get_frequency_display(),
            }
        )
    return rows


def _digest_schedule(user: User, seen: dict) -> list[dict]:
    from notifications.models import DigestSchedule

    return [
        {"hour": d.hour, "weekly_on": d.get_weekday_display(), "time_zone": d.time_zone}
        for d in DigestSchedule.objects.filter(user=user)
    ]


CATEGORIES: tuple[Category, ...] = (
    Category("notifications", _("Notifications"), _notifications),
    Category("email_preferences", _("Email preferences"), _preferences),
    Category("digest_schedule", _("Digest schedule"), _digest_schedule),
)
