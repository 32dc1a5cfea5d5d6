import re

from django import forms
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Organization
from cssp_portal.collation import order_by_name
from cssp_portal.forms import NamedModelChoiceField
from cssp_portal.languages import Language

from .models import ExpertiseArea, User


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form: a name for rosters, a language for emails."""

    first_name = forms.CharField(label=_("Given name"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        help_text=_("The language of the emails the portal sends you."),
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "preferred_language",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        current = (translation.get_language() or "en")[:2]
        self.fields["preferred_language"].initial = current if current in Language.values else "en"

    def signup(self, request, user):
        # allauth has already saved the user; these fields are copied by the adapter's save_user.
        pass


class SearchInput(forms.TextInput):
    input_type = "search"


class TelephoneInput(forms.TextInput):
    input_type = "tel"


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters (GET). Every field is optional; an invalid
    choice is reported next to its field and that filter alone is ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=SearchInput,
        help_text=_("Name, job title, organization or expertise."),
    )
    organization = NamedModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All organizations"),
        label_fields=Organization.LABEL_FIELDS,
        label_from_row=Organization.label,
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    role_type = forms.ChoiceField(label=_("Role type"), required=False)
    expertise = NamedModelChoiceField(
        label=_("Expertise area"),
        queryset=ExpertiseArea.objects.none(),
        required=False,
        empty_label=_("All expertise areas"),
    )
    community = NamedModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("All communities"),
    )

    def __init__(
        self,
        *args,
        organizations,
        expertise_areas,
        communities,
        organization_options=None,
        expertise_options=None,
        community_options=None,
        **kwargs,
    ):
        """Each list's queryset cleans a chosen value; its `*_options`, rows read once
        (members.selectors.directory_filter_choices), are its options, or None to read them
        from the queryset."""
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *Organization.Sector.choices]
        self.fields["role_type"].choices = [("", _("All role types")), *User.RoleType.choices]
        for name, queryset, rows in (
            ("organization", organizations, organization_options),
            ("expertise", expertise_areas, expertise_options),
            ("community", communities, community_options),
        ):
            self.fields[name].choose_from(queryset, rows)

    def filters(self) -> dict:
        """The valid filters, ready for selectors.member_directory."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "organization": data.get("organization"),
            "sector": data.get("sector") or "",
            "role_type": data.get("role_type") or "",
            "expertise": data.get("expertise"),
            "community": data.get("community"),
        }


phone_validator = RegexValidator(
    r"^\+?\(?[0-9][0-9 ().\-]{5,}[0-9]\s*(?:(?:ext\.?|x|poste|p\.)\s*[0-9]{1,6})?$",
    message=_("Enter a telephone number, for example 613-555-0123 or 613-555-0123 ext. 45."),
    flags=re.IGNORECASE,
)


class ProfileForm(forms.Form):
    """What a member may change on their own profile (the email address and the password
    are changed through the account pages)."""

    first_name = forms.CharField(label=_("Given name"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("None or not listed"),
    )
    role_type = forms.ChoiceField(label=_("Role type"), required=False)
    expertise_areas = forms.ModelMultipleChoiceField(
        label=_("Expertise areas"),
        queryset=ExpertiseArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bio_en = forms.CharField(
        label=_("Biography in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "en"}),
    )
    bio_fr = forms.CharField(
        label=_("Biography in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "fr"}),
    )
    phone = forms.CharField(
        label=_("Telephone"),
        max_length=40,
        required=False,
        widget=TelephoneInput,
        validators=[phone_validator],
    )
    contact_visibility = forms.ChoiceField(
        label=_("Who may see my email address and telephone"),
        choices=User.ContactVisibility.choices,
        widget=forms.RadioSelect,
    )
    listed_in_directory = forms.BooleanField(
        label=_("List me in the member directory"),
        required=False,
        help_text=_("When unchecked, only you and the administrators can see your profile."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        help_text=_("The emails the portal sends you come in this language."),
    )

    FIELDS = (
        "first_name",
        "last_name",
        "job_title",
        "organization",
        "role_type",
        "expertise_areas",
        "bio_en",
        "bio_fr",
        "phone",
        "contact_visibility",
        "listed_in_directory",
        "preferred_language",
    )

    def __init__(self, *args, member: User, **kwargs):
        initial = {name: getattr(member, name) for name in self.FIELDS}
        initial["expertise_areas"] = list(member.expertise_areas.all()) if member.pk else []
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["organization"].queryset = order_by_name(Organization.objects.all(), "name")
        if member.is_vetted:
            # F5: a vetted member's organization is the program's word (their trusted domain
            # or an administrator's); proposal eligibility rests on it.
            self.fields["organization"].disabled = True
            self.fields["organization"].help_text = _(
                "Set by the program from your trusted email domain or by an administrator. "
                "If it is wrong, write to the program."
            )
        else:
            self.fields["organization"].help_text = _(
                "As a guest, the organization you name helps the administrators review your "
                "account; it does not make you eligible for anything by itself."
            )
        self.fields["role_type"].choices = [("", _("Not specified")), *User.RoleType.choices]
        self.fields["expertise_areas"].queryset = order_by_name(ExpertiseArea.objects.all(), "name")
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["bio_en"].help_text = _(
            "Shown on the English pages; left empty, your French biography is shown there."
        )
        self.fields["bio_fr"].help_text = _(
            "Shown on the French pages; left empty, your English biography is shown there."
        )

    def clean_phone(self):
        return self.cleaned_data["phone"].strip()


class AccountDeleteForm(forms.Form):
    """Confirm the deletion of one's own account: the password when the account has one (a
    stolen, unlocked session alone cannot delete it), else the word typed in full."""

    KEEP, REMOVE = "keep", "remove"

    contributions = forms.ChoiceField(
        label=_("What you wrote in the communities"),
        choices=[
            (KEEP, _("Keep it, shown as written by “Former member”")),
            (REMOVE, _("Remove it as well (messages, replies, consultation answers, comments)")),
        ],
        initial=KEEP,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, member: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        # One or the other: the password if there is one to check.
        if member.has_usable_password():
            del self.fields["confirmation"]
        else:
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"].strip()
        # The word of the page's language, or the English one.
        if typed.casefold() not in {str(_("DELETE")).casefold(), "delete"}:
            raise forms.ValidationError(_("Type DELETE, in capital letters, to confirm."))
        return typed

    @property
    def remove_contributions(self) -> bool:
        return self.cleaned_data.get("contributions") == self.REMOVE
