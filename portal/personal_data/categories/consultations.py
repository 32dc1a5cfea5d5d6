"""A person's data in the consultations app: their answers, and the consultations they opened."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from members.models import User

from . import Category


def _consultation_answers(user: User, seen: dict) -> list[dict]:
    from consultations.models import Answer

    return [
        {
            "consultation": a.response.consultation.title,
            "question": a.question.text,
            "answer": a.text,
            "language": a.response.language,
            "submitted": a.response.submitted_at,
            "last_changed": a.response.updated_at,
        }
        for a in Answer.objects.filter(response__respondent=user)
        .select_related("response__consultation", "question")
        .order_by("response_id", "question__position", "pk")
    ]


def _consultations_opened(user: User, seen: dict) -> list[dict]:
    from consultations.models import Consultation

    return [
        {"consultation": c.title, "created": c.created_at}
        for c in Consultation.objects.filter(created_by=user).order_by("pk")
    ]


CATEGORIES: tuple[Category, ...] = (
    Category("consultation_answers", _("Consultation answers"), _consultation_answers),
    Category("consultations_opened", _("Consultations opened"), _consultations_opened),
)
