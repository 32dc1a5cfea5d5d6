"""The members' admin, with the action that deletes accounts as their owners would (it touches
every app, so it is added here, in the top layer, by extending members' UserAdmin)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members import policies
from members.admin import UserAdmin
from members.models import User

from . import accounts

admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    actions = (*UserAdmin.actions, "delete_accounts")

    def has_delete_account_permission(self, request) -> bool:
        return policies.can_delete_accounts(request)

    @admin.action(
        description=_(
            "Delete the selected accounts as their owners would (profile erased, "
            "contributions kept as “Former member”; they are told by email)"
        ),
        permissions=["delete_account"],
    )
    def delete_accounts(self, request, queryset):
        deleted, refused = 0, []
        for member in queryset:
            if member.is_deleted:
                continue
            try:
                accounts.account_delete(user=member, remove_contributions=False)
            except accounts.LeadMustHandOver:
                refused.append(member.email)
            else:
                deleted += 1
        self.message_user(
            request,
            ngettext("%(count)d account deleted.", "%(count)d accounts deleted.", deleted)
            % {"count": deleted},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                _("Not deleted, because they lead a community (hand over first): %(people)s")
                % {"people": ", ".join(refused)},
                messages.WARNING,
            )
