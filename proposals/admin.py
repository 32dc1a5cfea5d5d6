from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from cssp_portal.csv_export import csv_response

from .models import (
    Call,
    CallDocument,
    CapabilityGap,
    GapComment,
    Project,
    ProjectOrganization,
    Proposal,
    ProposalAttachment,
    ProposalTransition,
)


class GapCommentInline(admin.TabularInline):
    model = GapComment
    extra = 0
    fields = ("created_at", "author", "text")
    readonly_fields = ("created_at", "author")

    def has_add_permission(self, request, obj=None):
        return False  # members post comments on the portal; moderators edit or delete here


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 0
    fields = ("title", "language", "original_name", "content_type", "size", "created_at")
    readonly_fields = ("original_name", "content_type", "size", "created_at")

    def has_add_permission(self, request, obj=None):
        return False  # uploaded from the call's page, where type and size are checked


@admin.register(CapabilityGap)
class CapabilityGapAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = ("title", "community", "kind", "status", "rank")
    list_filter = ("kind", "status", "community")
    search_fields = ("title_en", "title_fr", "description_en", "description_fr")
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("community", "created_by")
    list_select_related = ("community",)
    inlines = (GapCommentInline,)
    show_auditlog_history_link = True


@admin.register(Call)
class CallAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = ("title", "year", "opens_at", "closes_at", "is_published")
    list_filter = ("is_published", "year")
    search_fields = ("title_en", "title_fr", "slug")
    date_hierarchy = "opens_at"
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("communities", "priorities")
    inlines = (CallDocumentInline,)
    show_auditlog_history_link = True


class ProposalTransitionInline(admin.TabularInline):
    model = ProposalTransition
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "by", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # the workflow records transitions; they are not typed in


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    extra = 0
    fields = ("original_name", "content_type", "size", "uploaded_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _proposals_csv(queryset):
    return csv_response(
        "proposals.csv",
        [
            "title",
            "call",
            "status",
            "lead department",
            "proposer",
            "portfolio manager",
            "requested funding",
            "duration (months)",
            "submitted",
        ],
        (
            [
                p.title,
                p.call.title,
                p.get_status_display(),
                p.lead_department.name if p.lead_department else "",
                p.proposer.email,
                p.portfolio_manager.email if p.portfolio_manager else "",
                p.requested_funding or "",
                p.duration_months or "",
                p.submitted_at.date().isoformat() if p.submitted_at else "",
            ]
            for p in queryset.select_related(
                "call", "lead_department", "proposer", "portfolio_manager"
            )
        ),
    )


@admin.register(Proposal)
class ProposalAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "title",
        "call",
        "status",
        "lead_department",
        "proposer",
        "portfolio_manager",
        "submitted_at",
    )
    list_filter = ("status", "call", "communities")
    search_fields = ("title_en", "title_fr", "proposer__email", "lead_department__name_en")
    date_hierarchy = "created_at"
    autocomplete_fields = (
        "call",
        "lead_department",
        "partners",
        "communities",
        "gaps",
        "proposer",
        "portfolio_manager",
    )
    list_select_related = ("call", "lead_department", "proposer", "portfolio_manager")
    readonly_fields = ("status", "submitted_at")
    inlines = (ProposalTransitionInline, ProposalAttachmentInline)
    actions = ("export_csv",)
    show_auditlog_history_link = True

    @admin.action(description=_("Export the selected proposals (CSV)"))
    def export_csv(self, request, queryset):
        return _proposals_csv(queryset)


class ProjectOrganizationInline(admin.TabularInline):
    model = ProjectOrganization
    extra = 0
    autocomplete_fields = ("organization",)
    fields = ("organization", "role", "position")


@admin.register(Project)
class ProjectAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = ("title", "year", "status", "call", "portfolio_manager")
    list_filter = ("status", "year", "communities")
    search_fields = ("title_en", "title_fr", "slug", "summary_en", "summary_fr")
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("communities", "gaps", "call", "proposal", "events", "portfolio_manager")
    list_select_related = ("call", "portfolio_manager")
    inlines = (ProjectOrganizationInline,)
    actions = ("export_csv",)
    show_auditlog_history_link = True

    @admin.action(description=_("Export the selected projects (CSV)"))
    def export_csv(self, request, queryset):
        return csv_response(
            "projects.csv",
            ["title", "year", "status", "lead departments", "partners", "communities"],
            (
                [
                    p.title,
                    p.year,
                    p.get_status_display(),
                    "; ".join(
                        link.organization.name
                        for link in p.organization_links.all()
                        if link.role == ProjectOrganization.Role.LEAD
                    ),
                    "; ".join(
                        link.organization.name
                        for link in p.organization_links.all()
                        if link.role == ProjectOrganization.Role.PARTNER
                    ),
                    "; ".join(c.name for c in p.communities.all()),
                ]
                for p in queryset.prefetch_related(
                    "organization_links__organization", "communities"
                )
            ),
        )
