from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from cssp_portal.csv_export import csv_response

from .models import CoHosting, Event, EventDocument, EventOutcome, EventReminder, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "state", "mode", "created_at", "promoted_at", "cancelled_at")
    readonly_fields = ("created_at", "promoted_at", "cancelled_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class CoHostingInline(admin.TabularInline):
    """Read only: a co-host is asked by the host's lead and answered by its own leads
    (events.services), never set here, so `Event.co_hosts` stays the accepted ones."""

    model = CoHosting
    extra = 0
    can_delete = False
    fields = ("community", "state", "requested_by", "requested_at", "decided_by", "decided_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("community", "requested_by", "decided_by")
        )


class EventReminderInline(admin.TabularInline):
    model = EventReminder
    extra = 0
    fields = ("hours_before", "sent_at")
    readonly_fields = ("sent_at",)


class EventOutcomeInline(TranslationStackedInline):
    model = EventOutcome
    extra = 0
    fields = ("summary", "key_takeaways", "recommendations", "published_at")


class EventDocumentInline(TranslationTabularInline):
    model = EventDocument
    extra = 0
    fields = ("title", "file")


@admin.register(Event)
class EventAdmin(AuditlogHistoryAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "title",
        "community",
        "event_type",
        "format",
        "start",
        "status",
        "confirmed",
        "waitlisted",
    )
    list_filter = ("status", "event_type", "format", "visibility", "community")
    search_fields = ("title_en", "title_fr", "slug", "city")
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("community", "organizations")
    list_select_related = ("community",)
    inlines = (
        CoHostingInline,
        EventReminderInline,
        EventOutcomeInline,
        EventDocumentInline,
        RegistrationInline,
    )
    actions = ("export_attendees",)
    show_auditlog_history_link = True
    readonly_fields = ("co_hosts", "published_at", "cancelled_at", "created_by")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "community",
                    "co_hosts",
                    "event_type",
                    "format",
                    "status",
                    "visibility",
                )
            },
        ),
        (_("Description"), {"fields": ("summary", "description", "agenda")}),
        (
            _("When"),
            {
                "fields": (
                    "start",
                    "end",
                    "time_zone",
                    "registration_opens_at",
                    "registration_closes_at",
                )
            },
        ),
        (_("Where"), {"fields": ("venue", "address", "city", "province", "virtual_link")}),
        (_("Seats"), {"fields": ("capacity_in_person", "capacity_virtual")}),
        (_("Participants"), {"fields": ("organizations",)}),
        (_("Record"), {"fields": ("created_by", "published_at", "cancelled_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _confirmed=Count(
                    "registrations",
                    filter=Q(
                        registrations__state__in=[
                            Registration.State.CONFIRMED,
                            Registration.State.ATTENDED,
                        ]
                    ),
                ),
                _waitlisted=Count(
                    "registrations", filter=Q(registrations__state=Registration.State.WAITLISTED)
                ),
            )
        )

    @admin.display(description=_("confirmed"), ordering="_confirmed")
    def confirmed(self, obj):
        return obj._confirmed

    @admin.display(description=_("waitlisted"), ordering="_waitlisted")
    def waitlisted(self, obj):
        return obj._waitlisted

    @admin.action(description=_("Export the attendee lists of the selected events (CSV)"))
    def export_attendees(self, request, queryset):
        registrations = (
            Registration.objects.filter(event__in=queryset)
            .select_related("event", "user__organization")
            .order_by("event__start", "state", "created_at")
        )
        return csv_response(
            "attendees.csv",
            ["event", "name", "email", "organization", "state", "attending", "registered"],
            (
                [
                    r.event.title,
                    r.user.get_full_name(),
                    r.user.email,
                    r.user.organization.name if r.user.organization else "",
                    r.get_state_display(),
                    r.get_mode_display(),
                    r.created_at.isoformat(),
                ]
                for r in registrations
            ),
        )


@admin.register(Registration)
class RegistrationAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ("user", "event", "state", "mode", "created_at")
    list_filter = ("state", "mode", "event__community")
    search_fields = ("user__email", "user__last_name", "event__title_en", "event__title_fr")
    date_hierarchy = "created_at"
    autocomplete_fields = ("user", "event")
    list_select_related = ("user", "event")
