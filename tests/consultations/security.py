"""Consultations' part of the project-wide URL access tests (tests/security/): the objects it
adds to the security world and the access rule of each of its URLs."""

from __future__ import annotations

from tests.security.rules import MANAGERS, PARTICIPANTS, Rule, signed_in

CONSULTATION_MANAGERS = MANAGERS | {"portfolio_manager"}
# The audience of a community consultation: those who take part (observers only read), and
# whoever manages it.
CONSULTATION_VIEWERS = PARTICIPANTS | CONSULTATION_MANAGERS
OPENERS = CONSULTATION_MANAGERS | {"lead_elsewhere"}


def extend_world(world) -> None:
    """An open consultation of the private community, with a draft document and one answer."""
    from django.core.files.base import ContentFile

    from consultations import services
    from tests.consultations.factories import consultation

    item = consultation(world.private, by=world.people["lead"])
    item.document.save("draft.pdf", ContentFile(b"%PDF-1.4 draft"), save=False)
    item.document_name, item.document_type = "draft.pdf", "application/pdf"
    item.save()
    services.response_save(
        consultation=item,
        by=world.author,
        answers={item.questions.first().pk: "A private answer."},
        submit=True,
    )
    world.consultation = item


def _pk(world):
    return {"pk": world.consultation.pk}


def consultation_rules() -> dict[str, Rule]:
    return {
        "consultations:list": signed_in("lists only what each person may see"),
        "consultations:create": Rule(
            OPENERS,
            data=lambda w: {"communities": [w.private.pk], "title_en": "Intrusion"},
            why="leads of any community open consultations in their own communities only",
        ),
        "consultations:detail": Rule(CONSULTATION_VIEWERS, args=_pk),
        "consultations:answer": Rule(
            frozenset({"member", "co_lead", "lead"}),
            args=_pk,
            data=lambda w: {"action": "submit"},
            why="its audience only: program staff manage it, they do not answer",
        ),
        "consultations:document": Rule(CONSULTATION_VIEWERS, args=_pk),
        "consultations:edit": Rule(
            CONSULTATION_MANAGERS, args=_pk, data=lambda w: {"title_en": "Taken over"}
        ),
        "consultations:close": Rule(CONSULTATION_MANAGERS, args=_pk),
        "consultations:responses": Rule(CONSULTATION_MANAGERS, args=_pk),
        "consultations:export": Rule(CONSULTATION_MANAGERS, args=_pk),
        "consultations:summary": Rule(
            CONSULTATION_MANAGERS,
            args=_pk,
            data=lambda w: {"summary_en": "x", "summary_fr": "x"},
        ),
    }
