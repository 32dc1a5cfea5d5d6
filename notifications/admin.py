"""The outbox in the admin: every email with its state, attempts and last error; failed ones can
be sent again. Rows are records of what happened, so they are read-only."""

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import kinds, services
from .models import DeliveryState, Digest, DigestSchedule, Notification, NotificationPreference


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.code, kind.label) for kind in kinds.KINDS.values()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class UncertainFilter(admin.SimpleListFilter):
    """Emails that may have reached their recipient twice, or that are being sent now."""

    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [
            ("uncertain", _("Uncertain: an attempt was interrupted")),
            ("in_flight", _("Being sent now")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "uncertain":
            return queryset.filter(interrupted__gt=0)
        if self.value() == "in_flight":
            return queryset.filter(state=DeliveryState.SENDING)
        return queryset


def kind_label(code: str) -> str:
    kind = kinds.KINDS.get(code)
    return str(kind.label) if kind else code


class OutboxAdmin(admin.ModelAdmin):
    """Shared by notifications and digests: read-only, with a "send again" action."""

    date_hierarchy = "created_at"
    actions = ["resend"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.display(description=_("outcome uncertain"), boolean=True, ordering="interrupted")
    def uncertain(self, obj):
        # A worker died mid-attempt: the server may have accepted the email before it did, in
        # which case the recipient has two copies with the same Message-ID (mail clients show
        # one). Shown so that an administrator can answer "did they get it twice?".
        return obj.outcome_uncertain

    def get_list_display(self, request):
        return (*self.list_display, "uncertain")

    @admin.action(description=_("Send the selected failed emails again"), permissions=["resend"])
    def resend(self, request, queryset):
        count = services.outbox_resend(
            model=self.model,
            ids=queryset.filter(state=DeliveryState.FAILED).values_list("pk", flat=True),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d email will be sent again.",
                "%(count)d emails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_resend_permission(self, request):
        # Rows are read-only, but sending again changes the outbox: the model's change right.
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


@admin.register(Notification)
class NotificationAdmin(OutboxAdmin):
    list_display = (
        "created_at",
        "kind_display",
        "email",
        "community",
        "frequency",
        "state",
        "attempts",
        "sent_at",
        "error",
    )
    list_filter = ("state", UncertainFilter, KindFilter, "frequency", "community")
    list_select_related = ("community",)
    search_fields = ("email", "recipient__first_name", "recipient__last_name", "key")
    readonly_fields = (
        "id",
        "kind_display",
        "recipient",
        "email",
        "language",
        "community",
        "about_type",
        "about_id",
        "key",
        "frequency",
        "digest",
        "state",
        "attempts",
        "interrupted",
        "claimed_at",
        "last_error",
        "created_at",
        "next_attempt_at",
        "enqueued_at",
        "sent_at",
    )
    exclude = ("kind", "context", "claim")

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, obj):
        return kind_label(obj.kind)


class DigestItemInline(admin.TabularInline):
    model = Notification
    fk_name = "digest"
    fields = ("kind_display", "community", "created_at", "state")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind"))
    def kind_display(self, obj):
        return kind_label(obj.kind)


@admin.register(Digest)
class DigestAdmin(OutboxAdmin):
    list_display = (
        "period_end",
        "recipient",
        "frequency",
        "state",
        "attempts",
        "sent_at",
        "error",
    )
    list_filter = ("state", UncertainFilter, "frequency")
    list_select_related = ("recipient",)
    search_fields = ("recipient__email", "recipient__last_name")
    readonly_fields = (
        "id",
        "recipient",
        "frequency",
        "period_end",
        "state",
        "attempts",
        "interrupted",
        "claimed_at",
        "last_error",
        "created_at",
        "next_attempt_at",
        "enqueued_at",
        "sent_at",
    )
    exclude = ("claim",)
    inlines = [DigestItemInline]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "community", "frequency", "updated_at")
    list_filter = ("frequency", "kind")
    list_select_related = ("user", "community")
    search_fields = ("user__email", "user__last_name")
    autocomplete_fields = ("user", "community")


@admin.register(DigestSchedule)
class DigestScheduleAdmin(admin.ModelAdmin):
    list_display = ("user", "hour", "weekday", "time_zone")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__last_name")
    autocomplete_fields = ("user",)
