"""Knowledge sharing's part of the project-wide URL access tests (tests/security/): the objects
it adds to the security world and the access rule of each of its URLs."""

from __future__ import annotations

from tests.security.rules import (
    EVERYONE,
    MANAGERS,
    NOBODY,
    PARTICIPANTS,
    VIEWERS,
    Rule,
)


def extend_world(world) -> None:
    """An announcement of the private community, a discussion started by its author with a
    reply reported by a member, and a folder holding the author's members-only document."""
    from knowledge import services
    from tests.knowledge.factories import document, folder, thread

    lead, author = world.people["lead"], world.author
    world.announcement = services.announcement_create(
        by=lead,
        communities=[world.private],
        title_en="Private news",
        title_fr="Nouvelles privées",
        body_en="For members only.",
        body_fr="Pour les membres seulement.",
    )
    world.thread = thread(world.private, author)
    world.post = services.thread_reply(thread=world.thread, by=author, body="A private reply.")
    world.report = services.post_report(
        post=world.post, by=world.people["member"], reason="Off topic"
    )
    world.folder = folder(world.private, lead)
    world.resource = document(world.folder, author)


def _slug(world):
    return {"slug": world.private.slug}


def _announcement_data(world):
    return {
        "title_en": "Taken over",
        "title_fr": "Pris",
        "body_en": "x",
        "body_fr": "x",
        "communities": [world.private.pk],
    }


RULES: dict[str, Rule] = {
    "knowledge:search": Rule(EVERYONE, why="results are filtered by each type's policy"),
    "knowledge:announcements": Rule(VIEWERS, args=_slug),
    "knowledge:announcement_create": Rule(MANAGERS, args=_slug, data=_announcement_data),
    "knowledge:threads": Rule(VIEWERS, args=_slug),
    "knowledge:thread_create": Rule(
        PARTICIPANTS, args=_slug, data=lambda w: {"title": "Intrusion", "body": "x"}
    ),
    "knowledge:reports": Rule(MANAGERS, args=_slug),
    "knowledge:library": Rule(VIEWERS, args=_slug),
    "knowledge:folder_create": Rule(
        MANAGERS, args=_slug, data=lambda w: {"name_en": "Taken", "name_fr": "Pris"}
    ),
    "knowledge:announcement": Rule(VIEWERS, args=lambda w: {"pk": w.announcement.pk}),
    "knowledge:announcement_edit": Rule(
        MANAGERS, args=lambda w: {"pk": w.announcement.pk}, data=_announcement_data
    ),
    "knowledge:announcement_delete": Rule(MANAGERS, args=lambda w: {"pk": w.announcement.pk}),
    "knowledge:thread": Rule(VIEWERS, args=lambda w: {"pk": w.thread.pk}),
    "knowledge:thread_reply": Rule(
        PARTICIPANTS, args=lambda w: {"pk": w.thread.pk}, data=lambda w: {"body": "Intrusion"}
    ),
    "knowledge:thread_moderate": Rule(
        MANAGERS, args=lambda w: {"pk": w.thread.pk}, data=lambda w: {"action": "lock"}
    ),
    "knowledge:thread_move": Rule(MANAGERS, args=lambda w: {"pk": w.thread.pk}),
    "knowledge:thread_share": Rule(MANAGERS, args=lambda w: {"pk": w.thread.pk}),
    "knowledge:thread_follow": Rule(VIEWERS, args=lambda w: {"pk": w.thread.pk}),
    "knowledge:post_edit": Rule(
        NOBODY,
        args=lambda w: {"pk": w.post.pk},
        data=lambda w: {"body": "Rewritten"},
        why="only the message's author, who is none of the roles, rewrites it",
    ),
    "knowledge:post_hide": Rule(MANAGERS, args=lambda w: {"pk": w.post.pk}),
    "knowledge:post_report": Rule(
        VIEWERS, args=lambda w: {"pk": w.post.pk}, data=lambda w: {"reason": "Spam"}
    ),
    "knowledge:report_resolve": Rule(MANAGERS, args=lambda w: {"pk": w.report.pk}),
    "knowledge:folder": Rule(VIEWERS, args=lambda w: {"pk": w.folder.pk}),
    "knowledge:folder_follow": Rule(VIEWERS, args=lambda w: {"pk": w.folder.pk}),
    "knowledge:resource_create": Rule(PARTICIPANTS, args=lambda w: {"pk": w.folder.pk}),
    "knowledge:resource": Rule(VIEWERS, args=lambda w: {"pk": w.resource.pk}),
    "knowledge:resource_edit": Rule(MANAGERS, args=lambda w: {"pk": w.resource.pk}),
    "knowledge:version_create": Rule(MANAGERS, args=lambda w: {"pk": w.resource.pk}),
    "knowledge:download": Rule(VIEWERS, args=lambda w: {"pk": w.resource.pk}),
    "knowledge:download_version": Rule(VIEWERS, args=lambda w: {"pk": w.resource.pk, "number": 1}),
}
