from auditlog.mixins import AuditlogHistoryAdminMixin
from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from guardian.admin import GuardedModelAdminMixin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from . import services
from .exports import roster_csv
from .models import (
    Community,
    CommunityObjective,
    CommunityOrganization,
    Invitation,
    Membership,
    Organization,
)


@admin.register(Organization)
class OrganizationAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "acronym", "sector", "jurisdiction", "parent")
    list_filter = ("sector", "jurisdiction")
    search_fields = ("name_en", "name_fr", "acronym_en", "acronym_fr", "former_names_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("parent",)
    show_auditlog_history_link = True


class CommunityObjectiveInline(TranslationTabularInline):
    model = CommunityObjective
    extra = 0
    fields = ("position", "text")


class CommunityOrganizationInline(admin.TabularInline):
    model = CommunityOrganization
    extra = 0
    autocomplete_fields = ("organization",)
    fields = ("organization", "role", "position")


class MembershipAdminForm(forms.ModelForm):
    """Curators set a role and a state; the dates the lifecycle needs are filled in for them."""

    class Meta:
        model = Membership
        fields = ("community", "user", "role", "state", "joined_at", "ended_at", "decision_note")

    def clean(self):
        data = super().clean()
        now = timezone.now()
        state = data.get("state")
        if state == Membership.State.ACTIVE and not data.get("joined_at"):
            data["joined_at"] = self.instance.joined_at = now
        ended = (Membership.State.DECLINED, Membership.State.REMOVED, Membership.State.LEFT)
        if state in ended and not data.get("ended_at"):
            data["ended_at"] = self.instance.ended_at = now
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    fk_name = "community"
    extra = 0
    can_delete = False  # history is kept: end a membership by changing its state
    autocomplete_fields = ("user",)
    fields = ("user", "role", "state", "joined_at", "ended_at")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    can_delete = False
    fields = ("email", "role", "state", "invited_by", "created_at", "expires_at")
    readonly_fields = ("invited_by", "created_at")


@admin.register(Community)
class CommunityAdmin(GuardedModelAdminMixin, AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "name",
        "parent",
        "status",
        "visibility",
        "join_policy",
        "working_languages",
        "active_members",
    )
    list_filter = ("status", "visibility", "join_policy", "working_languages", "parent")
    search_fields = ("name_en", "name_fr", "slug", "summary_en", "summary_fr")
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ("parent", "portfolio_managers")
    inlines = (
        CommunityObjectiveInline,
        CommunityOrganizationInline,
        MembershipInline,
        InvitationInline,
    )
    actions = ("archive", "restore", "export_roster")
    show_auditlog_history_link = True
    fieldsets = (
        (None, {"fields": ("name", "slug", "parent", "summary", "status")}),
        (_("Mandate and members"), {"fields": ("objectives_intro", "member_description")}),
        (_("Access"), {"fields": ("visibility", "join_policy", "working_languages")}),
        (
            _("Program"),
            {
                "fields": (
                    "portfolio_managers",
                    "contact_email",
                    "notify_portfolio_managers_of_new_members",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(
                _active_members=Count(
                    "memberships", filter=Q(memberships__state=Membership.State.ACTIVE)
                )
            )
        )

    @admin.display(description=_("active members"), ordering="_active_members")
    def active_members(self, obj):
        return obj._active_members

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.community_ensure_groups(community=obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            for membership in formset.new_objects + [
                changed for changed, _fields in formset.changed_objects
            ]:
                services.membership_sync_access(membership=membership)

    @admin.action(description=_("Archive the selected communities"))
    def archive(self, request, queryset):
        count = queryset.update(status=Community.Status.ARCHIVED, updated_at=timezone.now())
        message = ngettext(
            "%(count)d community archived.", "%(count)d communities archived.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Restore the selected communities"))
    def restore(self, request, queryset):
        count = queryset.update(status=Community.Status.ACTIVE, updated_at=timezone.now())
        message = ngettext(
            "%(count)d community restored.", "%(count)d communities restored.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Export the rosters of the selected communities (CSV)"))
    def export_roster(self, request, queryset):
        memberships = (
            Membership.objects.filter(community__in=queryset)
            .select_related("community", "user__organization")
            .order_by("community__name", "user__last_name")
        )
        return roster_csv(memberships, "roster.csv")


@admin.register(Membership)
class MembershipAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "community", "role", "state", "joined_at", "ended_at")
    list_filter = ("state", "role", "community")
    search_fields = ("user__email", "user__first_name", "user__last_name", "community__name_en")
    autocomplete_fields = ("user", "community")
    date_hierarchy = "created_at"
    list_select_related = ("user", "community")
    actions = ("export_roster",)
    show_auditlog_history_link = True

    def has_delete_permission(self, request, obj=None):
        return False  # history is kept: end a membership by changing its state

    def save_model(self, request, obj, form, change):
        obj.decided_by = obj.decided_by or request.user
        super().save_model(request, obj, form, change)
        services.membership_sync_access(membership=obj)

    @admin.action(description=_("Export the selected memberships (CSV)"))
    def export_roster(self, request, queryset):
        return roster_csv(
            queryset.select_related("community", "user__organization"), "memberships.csv"
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "community", "role", "state", "invited_by", "created_at", "expires_at")
    list_filter = ("state", "role", "community")
    search_fields = ("email", "community__name_en")
    date_hierarchy = "created_at"
    autocomplete_fields = ("community", "invited_by", "accepted_by")
    readonly_fields = ("created_at", "responded_at")
    list_select_related = ("community", "invited_by")
