"""The API app's part of tests/security: its objects in the private community's world and the
access rule of each of its URLs (see tests/security/rules.py and world.py, which load these)."""

from __future__ import annotations


def extend_world(world) -> None:
    """A personal token of the private community's author (nobody else may revoke it)."""
    from api import services

    world.api_token, _key = services.api_token_create(by=world.author, name="Author's script")


def api_rules() -> dict:
    """Imported lazily: tests/security/catalog.py calls this."""
    from tests.security.rules import (
        EVERYONE,
        NOBODY,
        PROGRAM_STAFF,
        VIEWERS,
        Rule,
        public,
        signed_in,
    )

    listing = "lists only what the app's policy queryset lets through (tests/api)"
    feed = "feeds hold only public content: a members-only community's answer 404 to all"
    return {
        "api:api-root": public(),
        "api:schema": public("the schema describes the API, no data"),
        "api:docs": public("Swagger UI over the schema"),
        "api:community-list": public(listing),
        "api:organization-list": public(listing),
        "api:event-list": public(listing),
        "api:call-list": public(listing),
        "api:project-list": public(listing),
        "api:community-detail": Rule(VIEWERS, args=lambda w: {"slug": w.private.slug}),
        "api:event-detail": Rule(VIEWERS, args=lambda w: {"slug": w.event.slug}),
        "api:call-detail": Rule(PROGRAM_STAFF, args=lambda w: {"slug": w.draft_call.slug}),
        "api:organization-detail": Rule(
            EVERYONE,
            args=lambda w: {"slug": w.organization_link.organization.slug},
            why="organizations are public",
        ),
        "api:project-detail": Rule(
            EVERYONE,
            args=lambda w: {"slug": w.project.slug},
            why="the register of funded projects is public",
        ),
        "opendata:open_data": public(),
        "opendata:csv": Rule(
            EVERYONE,
            args=lambda w: {"dataset": "communities"},
            why="open data: public rows only, whoever downloads",
        ),
        "opendata:tokens": signed_in("one's own tokens"),
        "opendata:token_revoke": Rule(
            NOBODY, args=lambda w: {"pk": w.api_token.pk}, why="only its owner revokes a token"
        ),
        "opendata:feed_news": public("public announcements only"),
        "opendata:feed_announcements": Rule(
            NOBODY, args=lambda w: {"slug": w.private.slug}, why=feed
        ),
        "opendata:feed_events": Rule(NOBODY, args=lambda w: {"slug": w.private.slug}, why=feed),
    }
