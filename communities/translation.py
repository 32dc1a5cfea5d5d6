from modeltranslation.translator import TranslationOptions, register

from .models import Community, CommunityObjective, Organization


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "acronym", "former_names")
    required_languages = {"en": ("name",), "fr": ("name",)}


@register(Community)
class CommunityTranslation(TranslationOptions):
    fields = ("name", "summary", "objectives_intro", "member_description")
    required_languages = {"en": ("name", "summary"), "fr": ("name", "summary")}


@register(CommunityObjective)
class CommunityObjectiveTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("en", "fr")
