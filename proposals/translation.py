from modeltranslation.translator import TranslationOptions, register

from .models import Call, CapabilityGap, Project, Proposal


@register(CapabilityGap)
class CapabilityGapTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",), "fr": ("title",)}


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "description", "eligibility")
    required_languages = {"en": ("title", "description"), "fr": ("title", "description")}


@register(Proposal)
class ProposalTranslation(TranslationOptions):
    # Written by the proposing member, often in one language: show what they wrote.
    fields = ("title", "summary", "objectives")
    fallback_languages = {"default": ("en", "fr")}


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary", "outcomes")
    required_languages = {"en": ("title", "summary"), "fr": ("title", "summary")}
