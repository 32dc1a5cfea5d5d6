"""The program's part of the project-wide URL access tests (tests/security/): the objects it
adds to the security world and the access rule of each of its URLs.

Plugged in by tests/security with
    from tests.proposals.security import RULES as PROGRAM_RULES, extend_world
    RULES.update(PROGRAM_RULES)          # in rules.py
    EXTENSIONS.append(extend_world)      # in world.py
and checked on its own by tests/security/test_url_access.py.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from proposals import services
from tests.security.rules import (
    EVERYONE,
    MANAGERS,
    NOBODY,
    PARTICIPANTS,
    PROGRAM_STAFF,
    SIGNED_IN,
    VIEWERS,
    Rule,
)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def extend_world(world) -> None:
    """A gap of the private community, a published open call and an unpublished one with a
    document, the author's draft (with a file) and submitted proposal (with a file, assigned
    to the world's portfolio manager), and a funded project."""
    from communities.models import Organization
    from tests.proposals.factories import CallFactory, GapFactory, ProjectFactory, ProposalFactory

    author = world.author
    author.organization = Organization.objects.create(
        name="Security Department", slug="security-department", sector="federal"
    )
    author.save()
    pm = world.people["portfolio_manager"]
    world.gap = GapFactory(community=world.private)
    world.call = CallFactory()
    world.draft_call = CallFactory(is_published=False)
    world.document = services.call_document_add(
        call=world.draft_call,
        by=world.people["admin"],
        upload=SimpleUploadedFile("guide.pdf", PDF),
        title="Guide",
        language="both",
    )
    world.draft = ProposalFactory(call=world.call, proposer=author, communities=[world.private])
    world.draft_attachment = services.attachment_add(
        proposal=world.draft, by=author, upload=SimpleUploadedFile("draft.pdf", PDF)
    )
    world.proposal = ProposalFactory(
        call=world.call, proposer=author, communities=[world.private], portfolio_manager=pm
    )
    world.attachment = services.attachment_add(
        proposal=world.proposal, by=author, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    world.proposal.status = "submitted"
    world.proposal.submitted_at = world.proposal.created_at
    world.proposal.save()
    world.project = ProjectFactory()
    world.project.communities.add(world.private)


def _gap(world):
    return {"community": world.private.slug, "slug": world.gap.slug}


def _gap_data(world):
    return {"kind": "risk", "title_en": "Taken", "title_fr": "Pris", "status": "closed"}


def _call_data(world):
    return {
        "title_en": "Taken",
        "title_fr": "Pris",
        "description_en": "x",
        "description_fr": "x",
        "year": "2030",
        "opens_at": "2030-01-01T12:00",
        "closes_at": "2030-02-01T12:00",
    }


def _upload(world):
    return {"file": SimpleUploadedFile("x.pdf", PDF), "language": "both"}


COMMENTERS = PARTICIPANTS | PROGRAM_STAFF

RULES: dict[str, Rule] = {
    "proposals:call_list": Rule(EVERYONE),
    "proposals:call_create": Rule(PROGRAM_STAFF, data=_call_data),
    "proposals:call_detail": Rule(
        PROGRAM_STAFF, args=lambda w: {"slug": w.draft_call.slug}, why="unpublished call"
    ),
    "proposals:call_edit": Rule(
        PROGRAM_STAFF, args=lambda w: {"slug": w.draft_call.slug}, data=_call_data
    ),
    "proposals:call_publish": Rule(PROGRAM_STAFF, args=lambda w: {"slug": w.draft_call.slug}),
    "proposals:proposal_create": Rule(
        frozenset({"vetted_elsewhere"}),
        args=lambda w: {"slug": w.call.slug},
        data=lambda w: {"title": "Taken"},
        why="vetted members acting for a government organization (F5: the guest's profile "
        "names a federal department too, and is refused)",
    ),
    "proposals:call_document_upload": Rule(
        PROGRAM_STAFF, args=lambda w: {"slug": w.draft_call.slug}, data=_upload
    ),
    "proposals:call_document_download": Rule(
        PROGRAM_STAFF, args=lambda w: {"pk": w.document.pk}, why="document of an unpublished call"
    ),
    "proposals:call_document_delete": Rule(PROGRAM_STAFF, args=lambda w: {"pk": w.document.pk}),
    "proposals:proposal_list": Rule(SIGNED_IN, why="one's own proposals"),
    "proposals:staff_proposal_list": Rule(PROGRAM_STAFF),
    "proposals:detail": Rule(PROGRAM_STAFF, args=lambda w: {"pk": w.proposal.pk}),
    "proposals:proposal_edit": Rule(
        NOBODY,
        args=lambda w: {"pk": w.draft.pk},
        data=lambda w: {"title": "Taken"},
        why="only its author, who holds none of the roles",
    ),
    "proposals:proposal_submit": Rule(NOBODY, args=lambda w: {"pk": w.draft.pk}),
    "proposals:proposal_transition": Rule(
        PROGRAM_STAFF,
        args=lambda w: {"pk": w.proposal.pk},
        data=lambda w: {"to_status": "under_review"},
        why="its assigned portfolio manager (the world's) and administrators",
    ),
    "proposals:proposal_assign": Rule(
        PROGRAM_STAFF,
        args=lambda w: {"pk": w.proposal.pk},
        data=lambda w: {"manager": w.people["portfolio_manager"].pk},
    ),
    "proposals:attachment_upload": Rule(NOBODY, args=lambda w: {"pk": w.draft.pk}, data=_upload),
    "proposals:attachment_download": Rule(PROGRAM_STAFF, args=lambda w: {"pk": w.attachment.pk}),
    "proposals:attachment_delete": Rule(NOBODY, args=lambda w: {"pk": w.draft_attachment.pk}),
    "proposals:dashboard": Rule(PROGRAM_STAFF),
    "proposals:project_list": Rule(EVERYONE),
    "proposals:project_detail": Rule(EVERYONE, args=lambda w: {"slug": w.project.slug}),
    "proposals:gap_list": Rule(VIEWERS, args=lambda w: {"community": w.private.slug}),
    "proposals:gap_create": Rule(
        PARTICIPANTS, args=lambda w: {"community": w.private.slug}, data=_gap_data
    ),
    "proposals:gap_detail": Rule(VIEWERS, args=_gap),
    "proposals:gap_edit": Rule(MANAGERS, args=_gap, data=_gap_data),
    "proposals:gap_comment": Rule(COMMENTERS, args=_gap, data=lambda w: {"text": "Taken"}),
    "proposals:gap_vote": Rule(PARTICIPANTS, args=_gap),
}
