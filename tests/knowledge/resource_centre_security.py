"""The resource centre in tests/security (loaded by tests/security/catalog.py)."""

from __future__ import annotations


def resource_centre_rules() -> dict:
    from tests.security.rules import public

    return {
        "resource_centre:index": public(
            "lists only resource_centre_resources: shared beyond the community, never Protected"
        ),
    }
