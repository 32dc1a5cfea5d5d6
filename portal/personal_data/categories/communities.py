"""A person's data in the communities app: memberships (roles, core groups, requests and
decisions), and the invitations they received and sent."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import User

from . import Category


def _memberships(user: User, seen: dict) -> list[dict]:
    from communities.models import Membership

    return [
        {
            "community": m.community.name,
            "role": m.get_role_display(),
            "state": m.get_state_display(),
            "core_group": m.is_core,
            "message_sent_with_request": m.message,
            "decision_note": m.decision_note,
            "created": m.created_at,
            "joined": m.joined_at,
            "ended": m.ended_at,
        }
        for m in Membership.objects.filter(user=user)
        .select_related("community")
        .order_by("created_at", "pk")
    ]


def _invitations_received(user: User, seen: dict) -> list[dict]:
    from communities.models import Invitation

    to_them = Q(accepted_by=user)
    for address in seen.get("addresses", {user.email}):
        to_them |= Q(email__iexact=address)
    return [
        {
            "community": i.community.name,
            "address": i.email,
            "role": i.get_role_display(),
            "state": i.get_state_display(),
            "personal_message": i.message,
            "sent": i.created_at,
            "expires": i.expires_at,
            "answered": i.responded_at,
        }
        for i in Invitation.objects.filter(to_them).select_related("community").order_by("pk")
    ]


def _invitations_sent(user: User, seen: dict) -> list[dict]:
    from communities.models import Invitation

    # The invitee's address is their personal information, not the sender's.
    return [
        {
            "community": i.community.name,
            "role": i.get_role_display(),
            "state": i.get_state_display(),
            "sent": i.created_at,
        }
        for i in Invitation.objects.filter(invited_by=user)
        .select_related("community")
        .order_by("pk")
    ]


CATEGORIES: tuple[Category, ...] = (
    Category("memberships", _("Memberships, roles and core groups"), _memberships),
    Category("invitations_received", _("Invitations received"), _invitations_received),
    Category("invitations_sent", _("Invitations sent"), _invitations_sent),
)
