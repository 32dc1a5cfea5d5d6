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

# Who gets a Protected A or B item of the private community.
PROTECTED_READERS = VIEWERS - {"portfolio_manager"}


def extend_world(world) -> None:
    """An announcement of the private community, a discussion started by its author with a
    reply reported by a member, and a folder holding the author's members-only document."""
    from knowledge import services
    from knowledge.models import Sensitivity
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
    # Need to know (issue #16, F4): Protected items of both markings, for members only.
    world.protected_a = document(
        world.folder, author, title_en="Contact list", sensitivity=Sensitivity.PROTECTED_A
    )
    world.protected_b = document(
        world.folder, author, title_en="Injects", sensitivity=Sensitivity.PROTECTED_B
    )
    world.protected_download = services.protected_download_record(
        resource=world.protected_b,
        version=world.protected_b.current_version,
        by=world.people["member"],
    )


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
    # Protected A and B: the owning community's members (any role) and administrators only;
    # not portfolio managers by their program role (need to know).
    "knowledge:resource": Rule(PROTECTED_READERS, args=lambda w: {"pk": w.protected_a.pk}),
    "knowledge:resource_edit": Rule(MANAGERS, args=lambda w: {"pk": w.resource.pk}),
    "knowledge:version_create": Rule(MANAGERS, args=lambda w: {"pk": w.resource.pk}),
    "knowledge:download": Rule(PROTECTED_READERS, args=lambda w: {"pk": w.protected_b.pk}),
    "knowledge:download_version": Rule(
        PROTECTED_READERS, args=lambda w: {"pk": w.protected_a.pk, "number": 1}
    ),
    "knowledge:download_log": Rule(MANAGERS, args=_slug),
}
