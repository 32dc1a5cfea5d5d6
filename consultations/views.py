from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cssp_portal.csv_export import csv_response
from cssp_portal.errors import first_message
from cssp_portal.params import id_or_none
from cssp_portal.uploads import download_response

from . import policies, selectors, services
from .forms import ConsultationForm, SummaryForm
from .models import Response


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def consultation_list(request):
    """What the person is asked to answer, what they manage, and the published summaries."""
    to_answer = list(
        policies.consultations_to_answer(request)
        .prefetch_related("communities")
        .order_by("closes_at")
    )
    mine = dict(
        Response.objects.filter(
            respondent=request.user, consultation__in=[c.pk for c in to_answer]
        ).values_list("consultation_id", "submitted_at")
    )
    for consultation in to_answer:
        consultation.answered = consultation.pk in mine
        consultation.submitted = mine.get(consultation.pk) is not None
    managed = (
        policies.consultations_managed_by(request)
        .prefetch_related("communities")
        .order_by("-opens_at")[:100]
    )
    published = (
        policies.consultations_visible_to(request)
        .filter(published_at__isnull=False)
        .prefetch_related("communities")
        .order_by("-published_at")[:100]
    )
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "to_answer": to_answer,
            "managed": managed,
            "published": published,
            "can_open": policies.can_open_any(request),
        },
    )


@login_required
def consultation_create(request):
    if not policies.can_open_any(request):
        raise PermissionDenied
    initial = {}
    slug = request.GET.get("community", "")
    if slug_re.fullmatch(slug):
        initial["communities"] = list(
            policies.communities_for_opening(request).filter(slug=slug[:80])
        )
    form = ConsultationForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_open(
                by=request.user,
                communities=list(form.cleaned_data["communities"]),
                values=form.values(),
                questions=form.cleaned_data["questions"],
                document=form.cleaned_data.get("document"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The consultation was saved."))
            return redirect(consultation)
    return render(
        request,
        "consultations/consultation_form.html",
        {"form": form, "consultation": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def consultation_edit(request, pk):
    consultation = policies.consultation_for_managing(request, pk=pk)
    if not policies.can_edit_consultation(request, consultation):
        messages.error(request, _("A closed consultation can no longer change."))
        return redirect(consultation)
    form = ConsultationForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        consultation=consultation,
        initial=ConsultationForm.initial_for(consultation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                consultation=consultation,
                by=request.user,
                values=form.values(),
                questions=form.cleaned_data["questions"],
                communities=list(form.cleaned_data["communities"]),
                document=form.cleaned_data.get("document"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The consultation was saved."))
            return redirect(consultation)
    return render(
        request,
        "consultations/consultation_form.html",
        {"form": form, "consultation": consultation},
        status=400 if form.is_bound else 200,
    )


def _detail_page(request, consultation, *, answers=None, error="", status=200):
    questions = selectors.questions_of(consultation)
    can_respond = policies.can_respond(request, consultation)
    response = None
    if request.user.is_authenticated:
        response = (
            Response.objects.filter(consultation=consultation, respondent=request.user)
            .prefetch_related("answers")
            .first()
        )
    if answers is None:
        answers = {a.question_id: a.text for a in response.answers.all()} if response else {}
    for question in questions:
        question.my_answer = answers.get(question.pk, "")
    can_manage = policies.can_manage_consultation(request, consultation)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "communities": list(consultation.communities.all()),
            "questions": questions,
            "response": response,
            "can_respond": can_respond,
            "can_manage": can_manage,
            "can_edit": policies.can_edit_consultation(request, consultation),
            "can_close": policies.can_close_consultation(request, consultation),
            "can_publish": policies.can_publish_summary(request, consultation),
            "response_count": consultation.responses.filter(submitted_at__isnull=False).count()
            if can_manage
            else None,
            "answer_error": error,
            "date_modified": consultation.updated_at,
        },
        status=status,
    )


def consultation_detail(request, pk):
    consultation = policies.consultation_for_viewing(request, pk=pk)
    return _detail_page(request, consultation)


@login_required
@require_POST
def consultation_answer(request, pk):
    """Save the answers as a draft ("save") or submit them; both may change until closing."""
    consultation = policies.consultation_for_viewing(request, pk=pk)
    if not policies.can_respond(request, consultation):
        if not policies.in_audience(request, consultation):
            raise PermissionDenied
        # Asked, but no longer (or not yet) open: a page left open past the closing date.
        messages.error(request, _("This consultation is not open: answers can no longer change."))
        return redirect(consultation)
    answers = {}
    for name, value in request.POST.items():
        if name.startswith("answer-"):
            question_id = id_or_none(name.removeprefix("answer-"))
            if question_id:
                answers[question_id] = value
    submit = request.POST.get("action") == "submit"
    try:
        services.response_save(
            consultation=consultation,
            by=request.user,
            answers=answers,
            submit=submit,
            language=translation.get_language() or "",
        )
    except ValidationError as error:
        return _detail_page(
            request, consultation, answers=answers, error=first_message(error), status=400
        )
    if submit:
        messages.success(
            request,
            _("Your answers were submitted. You may change them until the consultation closes."),
        )
    else:
        messages.success(
            request, _("Your draft was saved. Submit it before the consultation closes.")
        )
    return redirect(consultation)


def consultation_document(request, pk):
    consultation = policies.consultation_for_viewing(request, pk=pk)
    if not consultation.document:
        raise Http404
    return download_response(
        consultation.document,
        filename=consultation.document_name or "document",
        content_type=consultation.document_type or "application/octet-stream",
    )


@login_required
@require_POST
def consultation_close(request, pk):
    consultation = policies.consultation_for_managing(request, pk=pk)
    if not policies.can_close_consultation(request, consultation):
        messages.error(request, _("This consultation is already closed."))
        return redirect(consultation)
    services.consultation_close(consultation=consultation, by=request.user)
    messages.success(request, _("The consultation is closed: members can no longer answer."))
    return redirect(consultation)


@login_required
def consultation_responses(request, pk):
    consultation = policies.consultation_for_managing(request, pk=pk)
    questions = selectors.questions_of(consultation)
    responses = list(selectors.responses_with_answers(consultation))
    for response in responses:
        by_question = {a.question_id: a.text for a in response.answers.all()}
        response.rows = [(q, by_question.get(q.pk, "")) for q in questions]
    return render(
        request,
        "consultations/consultation_responses.html",
        {
            "consultation": consultation,
            "submitted": [r for r in responses if r.submitted_at],
            "drafts": sum(1 for r in responses if not r.submitted_at),
        },
    )


@login_required
def consultation_export(request, pk):
    consultation = policies.consultation_for_managing(request, pk=pk)
    questions = selectors.questions_of(consultation)
    responses = selectors.responses_with_answers(consultation).filter(submitted_at__isnull=False)
    header = [_("Name"), _("Email address"), _("Organization"), _("Language"), _("Submitted")]
    header += [question.text for question in questions]

    def rows():
        for response in responses:
            person = response.respondent
            by_question = {a.question_id: a.text for a in response.answers.all()}
            yield [
                person.get_full_name(),
                person.email,
                person.organization.name if person.organization else "",
                response.language,
                timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
                *(by_question.get(q.pk, "") for q in questions),
            ]

    return csv_response(f"consultation-{consultation.pk}-responses.csv", header, rows())


@login_required
def consultation_summary(request, pk):
    """Write and publish "what we heard" (and correct it later)."""
    consultation = policies.consultation_for_managing(request, pk=pk)
    if not policies.can_publish_summary(request, consultation):
        messages.error(request, _("Close the consultation before you publish what we heard."))
        return redirect(consultation)
    initial = {
        name: getattr(consultation, name)
        for name in ("summary_en", "summary_fr", "recommendations_en", "recommendations_fr")
    }
    form = SummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_publish(
                consultation=consultation,
                by=request.user,
                summary={"en": data["summary_en"], "fr": data["summary_fr"]},
                recommendations={
                    "en": data["recommendations_en"],
                    "fr": data["recommendations_fr"],
                },
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("What we heard is published."))
            return redirect(consultation)
    return render(
        request,
        "consultations/consultation_summary.html",
        {"consultation": consultation, "form": form},
        status=400 if form.is_bound else 200,
    )
