from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cssp_portal import uploads
from cssp_portal.params import limit_dates

from . import policies
from .models import Consultation

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_QUESTIONS = 50


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ConsultationForm(forms.Form):
    """Opening or changing a consultation: its texts side by side in English and French, and
    its questions (or sections) one per line, the French list in the same order."""

    communities = forms.ModelMultipleChoiceField(
        label=_("Communities consulted"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one community.")},
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    title_fr = forms.CharField(label=_("Title in French"), max_length=200)
    context_en = forms.CharField(
        label=_("Context in English"), widget=forms.Textarea(attrs={"rows": 5})
    )
    context_fr = forms.CharField(
        label=_("Context in French"), widget=forms.Textarea(attrs={"rows": 5})
    )
    item_kind = forms.ChoiceField(
        label=_("Members respond to"), choices=Consultation.ItemKind.choices
    )
    questions_en = forms.CharField(
        label=_("Questions or sections in English"),
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    questions_fr = forms.CharField(
        label=_("Questions or sections in French"),
        help_text=_("One per line, in the same order as the English ones."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    audience = forms.ChoiceField(label=_("Who is consulted"), choices=Consultation.Audience.choices)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=LOCAL_DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=LOCAL_DATETIME)
    document = forms.FileField(label=_("Draft document (optional)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = policies.communities_for_opening(user)
        self.fields["document"].help_text = _("At most %(size)s. Accepted types: %(types)s.") % {
            "size": filesizeformat(uploads.MAX_SIZE),
            "types": uploads.allowed_extensions(),
        }
        limit_dates(self)

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            uploads.validate_upload(upload)
        return upload

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing date must come after the opening."))
        en, fr = _lines(data.get("questions_en", "")), _lines(data.get("questions_fr", ""))
        if "questions_en" in data and "questions_fr" in data:
            if len(en) != len(fr):
                self.add_error(
                    "questions_fr",
                    _(
                        "Give as many questions or sections in French (%(fr)d) as in English "
                        "(%(en)d), one per line."
                    )
                    % {"fr": len(fr), "en": len(en)},
                )
            elif len(en) > MAX_QUESTIONS:
                self.add_error(
                    "questions_en",
                    _("At most %(limit)d questions or sections.") % {"limit": MAX_QUESTIONS},
                )
        data["questions"] = list(zip(en, fr, strict=False))
        return data

    def values(self) -> dict:
        names = ("title_en", "title_fr", "context_en", "context_fr", "item_kind", "audience")
        values = {name: self.cleaned_data[name] for name in names}
        values["opens_at"] = self.cleaned_data["opens_at"]
        values["closes_at"] = self.cleaned_data["closes_at"]
        return values

    @classmethod
    def initial_for(cls, consultation: Consultation) -> dict:
        questions = list(consultation.questions.all())
        return {
            "communities": list(consultation.communities.all()),
            "title_en": consultation.title_en,
            "title_fr": consultation.title_fr,
            "context_en": consultation.context_en,
            "context_fr": consultation.context_fr,
            "item_kind": consultation.item_kind,
            "audience": consultation.audience,
            "questions_en": "\n".join(q.text_en for q in questions),
            "questions_fr": "\n".join(q.text_fr for q in questions),
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
        }


class SummaryForm(forms.Form):
    summary_en = forms.CharField(
        label=_("What we heard, in English"), widget=forms.Textarea(attrs={"rows": 8})
    )
    summary_fr = forms.CharField(
        label=_("What we heard, in French"), widget=forms.Textarea(attrs={"rows": 8})
    )
    recommendations_en = forms.CharField(
        label=_("Recommendations in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    recommendations_fr = forms.CharField(
        label=_("Recommendations in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
