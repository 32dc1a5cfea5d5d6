"""Curation screens: correcting texts and looking answers up. Opening, answering, closing and
publishing go through the portal's pages and services (which notify)."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import Answer, Consultation, Question, Response


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0
    fields = ("position", "text")


@admin.register(Consultation)
class ConsultationAdmin(TabbedTranslationAdmin):
    list_display = ("title", "audience", "opens_at", "closes_at", "closed_at", "published_at")
    list_filter = ("audience", "communities")
    search_fields = ("title_en", "title_fr")
    date_hierarchy = "opens_at"
    filter_horizontal = ("communities",)
    autocomplete_fields = ("created_by",)
    readonly_fields = ("created_at", "updated_at", "opening_notified_at", "reminder_sent_at")
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("question", "text")
    readonly_fields = ("question",)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("respondent", "consultation", "language", "submitted_at")
    list_filter = ("consultation",)
    search_fields = ("respondent__email", "respondent__last_name")
    raw_id_fields = ("respondent", "consultation")
    inlines = [AnswerInline]
