from modeltranslation.translator import TranslationOptions, register

from .models import Announcement, Folder, Resource


@register(Announcement)
class AnnouncementTranslation(TranslationOptions):
    fields = ("title", "body", "body_html")
    required_languages = {"en": ("title", "body"), "fr": ("title", "body")}


@register(Folder)
class FolderTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",), "fr": ("name",)}


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en": ("title",), "fr": ("title",)}
