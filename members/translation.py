from modeltranslation.translator import TranslationOptions, register

from .models import ExpertiseArea, User


@register(ExpertiseArea)
class ExpertiseAreaTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")


@register(User)
class UserTranslation(TranslationOptions):
    # A member writes a biography in one language or both; show what exists rather than nothing.
    fields = ("bio",)
    fallback_languages = {"default": ("en", "fr")}
