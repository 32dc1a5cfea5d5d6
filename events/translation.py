from modeltranslation.translator import TranslationOptions, register

from .models import Event, EventDocument, EventOutcome


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "agenda", "venue")
    required_languages = {"en": ("title", "summary"), "fr": ("title", "summary")}


@register(EventOutcome)
class EventOutcomeTranslation(TranslationOptions):
    fields = ("summary", "key_takeaways", "recommendations")
    required_languages = {"en": ("summary",), "fr": ("summary",)}


@register(EventDocument)
class EventDocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en", "fr")
