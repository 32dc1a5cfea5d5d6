"""The organization pages' part of tests/security (loaded by tests/security/catalog.py)."""

from __future__ import annotations


def organization_rules() -> dict:
    from tests.security.rules import public

    return {
        "organizations:list": public("organizations are public"),
        "organizations:detail": public(
            "public; lists only communities_visible_to and profiles_visible_to the viewer"
        ),
    }
