"""Curation screens. Writes with consequences (posting, moderation, uploads) go through the
portal's pages and services; the admin is for correcting and looking things up."""

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.db import models
from modeltranslation.admin import TabbedTranslationAdmin

from .models import (
    Announcement,
    Folder,
    Follow,
    Post,
    PostReport,
    ProtectedDownload,
    Resource,
    ResourceVersion,
    Thread,
)


@admin.register(Announcement)
class AnnouncementAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = ("title", "author", "published_at")
    list_filter = ("communities",)
    search_fields = ("title_en", "title_fr", "body_en", "body_fr")
    date_hierarchy = "published_at"
    autocomplete_fields = ("author",)
    filter_horizontal = ("communities",)
    readonly_fields = ("created_at", "updated_at")


class PostInline(admin.StackedInline):
    model = Post
    extra = 0
    fields = ("author", "body", "created_at", "hidden_at", "hidden_by")
    readonly_fields = ("author", "body", "created_at", "hidden_by")
    can_delete = False


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "community", "author", "reply_count", "pinned", "locked", "hidden_at")
    list_filter = ("pinned", "locked", "community")
    search_fields = ("title", "posts__body")
    autocomplete_fields = ("author",)
    filter_horizontal = ("shared_with",)
    readonly_fields = ("reply_count", "last_activity_at", "created_at")
    inlines = [PostInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("community", "author")


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    list_display = ("post", "reporter", "created_at", "resolved_at", "resolved_by")
    list_filter = ("resolved_at",)
    readonly_fields = ("post", "reporter", "reason", "created_at")
    autocomplete_fields = ("resolved_by",)

    def has_add_permission(self, request):
        # Members report from the discussion page; the admin only reviews.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post__thread", "reporter")


@admin.register(Folder)
class FolderAdmin(TabbedTranslationAdmin):
    list_display = ("name", "community", "parent")
    list_filter = ("community",)
    search_fields = ("name_en", "name_fr")
    autocomplete_fields = ("parent", "created_by")


class VersionInline(admin.TabularInline):
    model = ResourceVersion
    extra = 0
    fields = (
        "number",
        "original_name",
        "size",
        "content_type",
        "note",
        "uploaded_by",
        "created_at",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Resource)
class ResourceAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = ("title", "folder", "kind", "sensitivity", "visibility", "updated_at")
    list_filter = ("kind", "sensitivity", "visibility", "folder__community")
    search_fields = ("title_en", "title_fr", "description_en", "description_fr")
    autocomplete_fields = ("folder", "created_by")
    inlines = [VersionInline]
    show_auditlog_history_link = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "thread", "folder", "created_at")
    autocomplete_fields = ("user", "thread", "folder")


@admin.register(ProtectedDownload)
class ProtectedDownloadAdmin(admin.ModelAdmin):
    """The record of Protected downloads, read-only: written only by the download service."""

    list_display = (
        "downloaded_at",
        "user_email",
        "resource_title",
        "sensitivity",
        "version_number",
        "community",
    )
    list_filter = ("sensitivity", "community")
    search_fields = ("user_email", "resource_title", "file_name")
    date_hierarchy = "downloaded_at"
    list_select_related = ("community",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
