from modeltranslation.translator import TranslationOptions, register

from .models import Consultation, Question


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "context", "summary", "recommendations")
    required_languages = {"en": ("title", "context"), "fr": ("title", "context")}


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = {"en": ("text",), "fr": ("text",)}
