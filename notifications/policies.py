"""Who sees which notifications in the notification centre.

A notification belongs to its recipient alone: the centre lists the records the portal wrote
for the signed-in member (the same rows the emails are sent from), whatever their email
delivery, so "never by email" still shows there. Account and security emails are left out:
they carry one-time links and codes, and the centre is not a second copy of the mailbox.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cssp_portal.params import pk_or_none
from cssp_portal.people import signed_in, user_of

from . import kinds
from .models import Notification


def can_view_notification(who, notification: Notification) -> bool:
    """Only the recipient, signed in, and never an account email. Callers answer 404."""
    user = user_of(who)
    return (
        signed_in(user)
        and notification.recipient_id == user.pk
        and notification.kind != kinds.ACCOUNT
    )


def notifications_visible_to(who) -> QuerySet[Notification]:
    """The notifications `who` sees in the centre (agrees with `can_view_notification`)."""
    user = user_of(who)
    if not signed_in(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).exclude(kind=kinds.ACCOUNT)


def notification_for_reading(who, *, pk) -> Notification:
    """The member's own notification, or 404 (someone else's and an unknown id look alike)."""
    pk = pk_or_none(Notification, pk)
    notification = notifications_visible_to(who).filter(pk=pk).first() if pk is not None else None
    if notification is None:
        raise Http404
    return notification
