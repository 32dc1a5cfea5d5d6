import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from members.models import Language

from .models import Community, Membership, Organization


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the leads (optional)"),
        help_text=_("Say who you are and what you would bring to the community."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# Addresses may be pasted from a spreadsheet or an email client: one per line, or separated
# by commas, semicolons or spaces, with or without "Name <address>".
_ADDRESS_SPLIT = re.compile(r"[\s,;]+")


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        help_text=_(
            "One or more addresses, one per line or separated by commas. People who have no "
            "account yet will be asked to create one."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Membership.Role.MEMBER, Membership.Role.MEMBER.label),
            (Membership.Role.OBSERVER, Membership.Role.OBSERVER.label),
            (Membership.Role.CO_LEAD, Membership.Role.CO_LEAD.label),
        ],
        initial=Membership.Role.MEMBER,
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(
        label=_("Language of the email to people without an account"),
        help_text=_("People with an account receive it in the language they chose."),
        choices=Language.choices,
    )

    MAX_ADDRESSES = 200

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace("<", " ").replace(">", " ")
        candidates = [part for part in _ADDRESS_SPLIT.split(raw) if "@" in part]
        invalid = []
        for candidate in candidates:
            try:
                validate_email(candidate)
            except ValidationError:
                invalid.append(candidate)
        if invalid:
            raise ValidationError(
                _("These addresses are not valid: %(addresses)s"),
                params={"addresses": ", ".join(invalid)},
            )
        if not candidates:
            raise ValidationError(_("Enter at least one email address."))
        if len(candidates) > self.MAX_ADDRESSES:
            raise ValidationError(
                _("Send at most %(max)d invitations at a time."),
                params={"max": self.MAX_ADDRESSES},
            )
        return candidates


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the person (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RemoveForm(forms.Form):
    note = forms.CharField(label=_("Reason (kept in the history)"), required=False, max_length=2000)


class DirectoryFilterForm(forms.Form):
    """The community directory's search and filters (GET: the URL can be bookmarked)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A word from the name, the summary or a member organization."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(communities__isnull=False).distinct(),
        required=False,
        empty_label=_("All organizations"),
    )
    join_policy = forms.ChoiceField(
        label=_("Joining"),
        required=False,
        choices=[("", _("Any way of joining")), *Community.JoinPolicy.choices],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = self.fields["organization"].queryset.order_by("name")
        if user is not None and user.is_authenticated:
            self.fields["mine"] = forms.BooleanField(label=_("Only my communities"), required=False)
