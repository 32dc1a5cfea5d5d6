"""The notification centre's part of tests/security: a notification of the world's author and
the access rule of each of its URLs (loaded by tests/security/catalog.py and world.py)."""

from __future__ import annotations


def extend_world(world) -> None:
    """A notification for the world's author (who holds none of the roles): nobody else may
    mark it read."""
    from communities import kinds as community_kinds
    from notifications import services

    world.notification = services.notify(
        kind=community_kinds.COMMUNITY_JOIN_DECISION,
        recipients=[world.author],
        community=world.private,
        context={"approved": True},
    )[0]


def notification_rules() -> dict:
    from tests.security.rules import NOBODY, Rule, signed_in

    return {
        "notifications:centre": signed_in("one's own notifications only"),
        "notifications:mark_all_read": signed_in("marks one's own notifications only"),
        "notifications:mark_read": Rule(
            NOBODY,
            args=lambda w: {"pk": w.notification.pk},
            why="someone else's notification: 404 to everyone, administrators included",
        ),
    }
