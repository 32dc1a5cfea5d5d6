"""Reads of consultations that join several relations."""

from django.db.models import Prefetch, QuerySet

from .models import Answer, Consultation, Question, Response


def community_consultations_heard(community) -> QuerySet[Consultation]:
    """The published "what we heard" of a community, newest first: part of its record, shown
    on its page to whoever sees the community (policies.can_view_consultation)."""
    return community.consultations.filter(published_at__isnull=False).order_by("-published_at")


def responses_with_answers(consultation: Consultation) -> QuerySet[Response]:
    """The responses of a consultation with their respondents and answers: three queries."""
    return (
        consultation.responses.select_related("respondent__organization")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("question_id")))
        .order_by("submitted_at", "pk")
    )


def questions_of(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("position", "pk"))
