from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationAdmin

from communities.models import Membership

from . import policies, services
from .models import ExpertiseArea, TrustedDomain, User, Vetting


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "preferred_language")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("community", "role", "state", "joined_at", "ended_at")
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("memberships (change them from the community or membership pages)")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("community")


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, TranslationAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ("last_name", "first_name", "email")
    list_display = (
        "email",
        "first_name",
        "last_name",
        "organization",
        "role_type",
        "preferred_language",
        "vetting",
        "is_staff",
        "is_active",
        "account_state",
        "date_joined",
    )
    list_filter = (
        "vetting",
        "vetted_through",
        "preferred_language",
        "role_type",
        "is_staff",
        "is_active",
        "groups",
        "organization__sector",
    )
    search_fields = (
        "email",
        "first_name",
        "last_name",
        "organization__name_en",
        "organization__name_fr",
        "job_title",
    )
    list_select_related = ("organization",)
    actions = ("approve_guests",)  # and delete_accounts: portal/admin.py
    # Vetting changes only through members.services (the approval action below, a trusted
    # domain, an invitation), so that the person is told and the record says who and when.
    readonly_fields = ("vetting", "vetted_through", "vetted_at", "vetted_by", "sponsor")
    autocomplete_fields = ("organization",)
    filter_horizontal = ("groups", "user_permissions", "expertise_areas")
    date_hierarchy = "date_joined"
    inlines = (UserMembershipInline,)
    show_auditlog_history_link = True
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (
            _("Profile"),
            {
                "fields": (
                    "organization",
                    "job_title",
                    "role_type",
                    "expertise_areas",
                    "bio",
                    "phone",
                    "contact_visibility",
                    "listed_in_directory",
                )
            },
        ),
        (
            _("Vetting"),
            {"fields": ("vetting", "vetted_through", "vetted_at", "vetted_by", "sponsor")},
        ),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def has_approve_permission(self, request) -> bool:
        return policies.can_approve_guests(request)

    @admin.action(
        description=_("Approve the selected guests (they are told by email)"),
        permissions=["approve"],
    )
    def approve_guests(self, request, queryset):
        approved = 0
        for member in queryset.filter(vetting=Vetting.GUEST):
            services.member_approve(member=member, by=request.user)
            approved += 1
        self.message_user(
            request,
            ngettext("%(count)d guest approved.", "%(count)d guests approved.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )

    @admin.display(description=_("account"))
    def account_state(self, obj):
        # A deleted account keeps its row (rosters, history): marked so nobody mistakes it.
        if obj.is_deleted:
            return format_html('<strong class="deleted-account">{}</strong>', _("Deleted"))
        return _("Open")

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "preferred_language",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(ExpertiseArea)
class ExpertiseAreaAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_en", "name_fr", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(TrustedDomain)
class TrustedDomainAdmin(admin.ModelAdmin):
    """The email domains whose confirmed addresses make vetted members of an organization."""

    list_display = ("domain", "organization", "include_subdomains", "updated_at")
    list_filter = ("include_subdomains", "organization__sector")
    search_fields = ("domain", "organization__name_en", "organization__name_fr")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    ordering = ("domain",)
