"""Writes with consequences on consultations: opening, answering, closing, publishing "what we
heard", and the notices (opening, reminder before closing, publication) recorded in the
notifications outbox, each rendered in its recipient's language."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Membership
from cssp_portal.uploads import validate_upload
from members.models import User
from notifications.services import notify

from . import kinds, policies
from .models import Answer, Consultation, Question, Response

# The reminder goes to those who have not submitted, this long before the closing date.
REMINDER_HOURS = 48
MAX_ANSWER_LENGTH = 20000


def audience_users(consultation: Consultation) -> QuerySet[User]:
    """The people asked to answer (agrees with `policies.in_audience` for active accounts)."""
    users = User.objects.filter(is_active=True)
    if consultation.audience == Consultation.Audience.VETTED:
        # policies.is_vetted: every signed-in member until the vetting flag exists.
        return users
    memberships = Membership.objects.filter(
        community__in=consultation.communities.all(), state=Membership.State.ACTIVE
    )
    if consultation.audience == Consultation.Audience.CORE:
        memberships = memberships.filter(is_core=True)
    else:
        memberships = memberships.exclude(role=Membership.Role.OBSERVER)
    return users.filter(pk__in=memberships.values("user_id"))


def _set_questions(consultation: Consultation, questions: Sequence[tuple[str, str]]) -> None:
    if not questions:
        raise ValidationError({"questions": _("Add at least one question or section.")})
    consultation.questions.all().delete()
    Question.objects.bulk_create(
        Question(consultation=consultation, position=position, text_en=en, text_fr=fr)
        for position, (en, fr) in enumerate(questions, start=1)
    )


def _attach(consultation: Consultation, document) -> None:
    if document is None:
        return
    name, content_type = validate_upload(document)
    consultation.document = document
    consultation.document_name = name
    consultation.document_type = content_type


@transaction.atomic
def consultation_open(
    *,
    by: User,
    communities: Sequence[Community],
    values: dict,
    questions: Sequence[tuple[str, str]],
    document=None,
) -> Consultation:
    """Open a consultation in `communities` (`values`: title_en/fr, context_en/fr, item_kind,
    audience, opens_at, closes_at). Raises PermissionDenied unless `by` may open one in every
    community, ValidationError for bad values. When it opens at once, its audience is told
    now; otherwise the periodic task tells them when it opens."""
    if not communities or not all(policies.can_open_consultation(by, c) for c in communities):
        raise PermissionDenied
    consultation = Consultation(created_by=by, **values)
    _attach(consultation, document)
    consultation.full_clean(exclude=["document"])
    consultation.save()
    consultation.communities.set(communities)
    _set_questions(consultation, questions)
    if consultation.opens_at <= timezone.now():
        _announce_opening(consultation)
    return consultation


@transaction.atomic
def consultation_update(
    *,
    consultation: Consultation,
    by: User,
    values: dict,
    questions: Sequence[tuple[str, str]] | None = None,
    document=None,
) -> Consultation:
    """Change a consultation before it closes. Its questions change only while nobody has
    answered (answers would otherwise point at other questions)."""
    if not policies.can_edit_consultation(by, consultation):
        raise PermissionDenied
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    for name, value in values.items():
        setattr(consultation, name, value)
    _attach(consultation, document)
    consultation.full_clean(exclude=["document"])
    consultation.save()
    if questions is not None and _question_texts(consultation) != list(questions):
        if Answer.objects.filter(question__consultation=consultation).exists():
            raise ValidationError(
                {"questions": _("Members have answered: the questions can no longer change.")}
            )
        _set_questions(consultation, questions)
    if consultation.opening_notified_at is None and consultation.opens_at <= timezone.now():
        _announce_opening(consultation)
    return consultation


def _question_texts(consultation) -> list[tuple[str, str]]:
    return [(q.text_en, q.text_fr) for q in consultation.questions.order_by("position", "pk")]


@transaction.atomic
def response_save(
    *,
    consultation: Consultation,
    by: User,
    answers: dict[int, str],
    submit: bool,
    language: str = "",
) -> Response:
    """Save `by`'s answers (question id -> text, in either language) as a draft, or submit
    them. A submitted response may still change until the consultation closes. Raises
    PermissionDenied outside the audience or the dates; ValidationError for an empty
    submission or an answer beyond MAX_ANSWER_LENGTH."""
    if not policies.can_respond(by, consultation):
        raise PermissionDenied
    question_ids = set(consultation.questions.values_list("pk", flat=True))
    cleaned = {qid: (text or "").strip() for qid, text in answers.items() if qid in question_ids}
    if any(len(text) > MAX_ANSWER_LENGTH for text in cleaned.values()):
        raise ValidationError(
            _("An answer is limited to %(limit)d characters.") % {"limit": MAX_ANSWER_LENGTH}
        )
    if submit and not any(cleaned.values()):
        raise ValidationError(_("Answer at least one question before you submit."))
    response, _created = Response.objects.select_for_update().get_or_create(
        consultation=consultation, respondent=by
    )
    response.language = (language or "")[:8]
    if submit:
        response.submitted_at = timezone.now()
    response.save()
    existing = {a.question_id: a for a in response.answers.all()}
    changed, new = [], []
    for qid, text in cleaned.items():
        if qid in existing:
            existing[qid].text = text
            changed.append(existing[qid])
        else:
            new.append(Answer(response=response, question_id=qid, text=text))
    Answer.objects.bulk_update(changed, ["text"])
    Answer.objects.bulk_create(new)
    return response


@transaction.atomic
def consultation_close(*, consultation: Consultation, by: User) -> Consultation:
    """Stop answers now, before the closing date."""
    if not policies.can_close_consultation(by, consultation):
        raise PermissionDenied
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.closed_at is None:
        consultation.closed_at = timezone.now()
        consultation.save(update_fields=["closed_at", "updated_at"])
    return consultation


@transaction.atomic
def consultation_publish(
    *, consultation: Consultation, by: User, summary: dict, recommendations: dict
) -> Consultation:
    """Publish (or correct) the "what we heard" summary and recommendations, in English and
    French (`summary` and `recommendations`: language -> text). The first publication tells
    the audience and the respondents; a correction tells nobody again."""
    if not policies.can_publish_summary(by, consultation):
        raise PermissionDenied
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    errors = {}
    for lang in ("en", "fr"):
        text = (summary.get(lang) or "").strip()
        if not text:
            errors[f"summary_{lang}"] = _("Write what we heard in English and in French.")
        setattr(consultation, f"summary_{lang}", text)
        setattr(consultation, f"recommendations_{lang}", (recommendations.get(lang) or "").strip())
    if errors:
        raise ValidationError(errors)
    first = consultation.published_at is None
    if first:
        consultation.published_at = timezone.now()
    consultation.full_clean(exclude=["document"])
    consultation.save()
    if first:
        respondents = User.objects.filter(
            consultation_responses__consultation=consultation, is_active=True
        )
        notify(
            kind=kinds.CONSULTATION_PUBLISHED,
            recipients=list(audience_users(consultation)) + list(respondents),
            about=consultation,
            community=_home(consultation),
            key=f"consultation:{consultation.pk}:published",
        )
    return consultation


def _home(consultation: Consultation) -> Community | None:
    """The community a notice is filed under (preferences per community): the first one."""
    return consultation.communities.order_by("pk").first()


def _announce_opening(consultation: Consultation) -> None:
    notify(
        kind=kinds.CONSULTATION_OPENED,
        recipients=audience_users(consultation),
        about=consultation,
        community=_home(consultation),
        key=f"consultation:{consultation.pk}:opened",
    )
    Consultation.objects.filter(pk=consultation.pk).update(opening_notified_at=timezone.now())


def consultations_notify_due(*, now: datetime.datetime | None = None) -> int:
    """The periodic pass (CELERY_BEAT_SCHEDULE): tell the audience of each consultation that
    has opened, and remind those who have not submitted REMINDER_HOURS before it closes.
    Each consultation is claimed under lock and stamped in the transaction that records the
    emails, and the emails carry a key per consultation and notice, so a pass running twice
    (or two at once) sends nothing twice. Returns how many notices went out."""
    now = now or timezone.now()
    sent = 0
    is_open = Q(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)
    opening = Consultation.objects.filter(is_open, opening_notified_at__isnull=True)
    for pk in list(opening.values_list("pk", flat=True)):
        with transaction.atomic():
            consultation = opening.filter(pk=pk).select_for_update(skip_locked=True).first()
            if consultation is not None:
                _announce_opening(consultation)
                sent += 1
    reminding = Consultation.objects.filter(
        is_open,
        reminder_sent_at__isnull=True,
        closes_at__lte=now + datetime.timedelta(hours=REMINDER_HOURS),
    )
    for pk in list(reminding.values_list("pk", flat=True)):
        with transaction.atomic():
            consultation = reminding.filter(pk=pk).select_for_update(skip_locked=True).first()
            if consultation is None:
                continue
            answered = Response.objects.filter(
                consultation=consultation, submitted_at__isnull=False
            ).values("respondent_id")
            notify(
                kind=kinds.CONSULTATION_REMINDER,
                recipients=audience_users(consultation).exclude(pk__in=answered),
                about=consultation,
                community=_home(consultation),
                key=f"consultation:{consultation.pk}:reminder:{consultation.closes_at.isoformat()}",
            )
            Consultation.objects.filter(pk=pk).update(reminder_sent_at=now)
            sent += 1
    return sent
