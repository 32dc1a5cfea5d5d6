"""Past events and outcomes libraries in tests/security (loaded by tests/security/catalog.py)."""

from __future__ import annotations


def past_event_rules() -> dict:
    from tests.security.rules import VIEWERS, Rule, private, public

    return {
        "past_events:list": public("lists only what events_visible_to lets through"),
        "past_events:community_outcomes": Rule(VIEWERS, args=private()),
    }
