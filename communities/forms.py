import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cssp_portal.collation import order_by_name
from cssp_portal.forms import NamedModelChoiceField
from cssp_portal.languages import Language

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
    organization = NamedModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.filter(communities__isnull=False).distinct(),
        required=False,
        empty_label=_("All organizations"),
        label_fields=Organization.LABEL_FIELDS,
        label_from_row=Organization.label,
    )
    join_policy = forms.ChoiceField(
        label=_("Joining"),
        required=False,
        choices=[("", _("Any way of joining")), *Community.JoinPolicy.choices],
    )

    def __init__(self, *args, user=None, organization_options=None, **kwargs):
        """`organization_options`: the organization list's option rows read once
        (selectors.directory_organization_options), or None to read them from its queryset."""
        super().__init__(*args, **kwargs)
        self.fields["organization"].choose_from(
            order_by_name(self.fields["organization"].queryset, "name", "pk"), organization_options
        )
        if user is not None and user.is_authenticated:
            self.fields["mine"] = forms.BooleanField(label=_("Only my communities"), required=False)


# --- Lead tools: the community page ------------------------------------------------------------

# Each text of the page exists in English and French; the edit page shows the two side by side.
_BILINGUAL_TEXTS = [
    # (model field, label in English, label in French, rows, required)
    ("summary", _("Summary in English"), _("Summary in French"), 3, True),
    (
        "objectives_intro",
        _("Introduction to the objectives in English"),
        _("Introduction to the objectives in French"),
        2,
        False,
    ),
    (
        "member_description",
        _("Who the members are, in English"),
        _("Who the members are, in French"),
        4,
        False,
    ),
]


def _text_field(label, *, rows, required, lang, max_length=4000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "lang": lang}),
    )


class CommunityPageForm(forms.Form):
    """The texts and settings a lead keeps, plus the ordered objectives. Objectives are rows
    of fields (objective_<n>_en / _fr): a row left empty in both languages is removed, and a few
    empty rows are offered for new objectives."""

    EXTRA_OBJECTIVES = 3
    MAX_OBJECTIVES = 30

    contact_email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        help_text=_("Shown on the page; the program's address is shown when empty."),
    )
    working_languages = forms.ChoiceField(
        label=_("Working languages"), choices=Community.WorkingLanguages.choices
    )
    join_policy = forms.ChoiceField(label=_("Joining"), choices=Community.JoinPolicy.choices)
    notify_portfolio_managers_of_new_members = forms.BooleanField(
        label=_("Tell the portfolio managers about each new member"), required=False
    )

    def __init__(self, *args, community: Community, **kwargs):
        self.community = community
        objectives = list(community.objectives.order_by("position", "pk"))
        initial = {
            name: getattr(community, name)
            for name in (
                "contact_email",
                "working_languages",
                "join_policy",
                "notify_portfolio_managers_of_new_members",
            )
        }
        for name, *_rest in _BILINGUAL_TEXTS:
            for lang in ("en", "fr"):
                initial[f"{name}_{lang}"] = getattr(community, f"{name}_{lang}") or ""
        for index, objective in enumerate(objectives, start=1):
            initial[f"objective_{index}_en"] = objective.text_en or ""
            initial[f"objective_{index}_fr"] = objective.text_fr or ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

        self.text_pairs = []
        for name, label_en, label_fr, rows, required in _BILINGUAL_TEXTS:
            self.fields[f"{name}_en"] = _text_field(
                label_en, rows=rows, required=required, lang="en"
            )
            self.fields[f"{name}_fr"] = _text_field(
                label_fr, rows=rows, required=required, lang="fr"
            )
            self.text_pairs.append((self[f"{name}_en"], self[f"{name}_fr"]))

        # Rows already shown when the form was posted stay (so nothing typed is lost).
        posted_rows = 0
        if self.is_bound:
            for key in self.data:
                match = re.fullmatch(r"objective_(\d+)_(en|fr)", key)
                if match:
                    posted_rows = max(posted_rows, int(match.group(1)))
        rows = min(max(len(objectives) + self.EXTRA_OBJECTIVES, posted_rows), self.MAX_OBJECTIVES)
        self.objective_rows = []
        for index in range(1, rows + 1):
            for lang, label in (
                ("en", _("Objective %(number)d in English")),
                ("fr", _("Objective %(number)d in French")),
            ):
                self.fields[f"objective_{index}_{lang}"] = _text_field(
                    label % {"number": index}, rows=2, required=False, lang=lang, max_length=1000
                )
            self.objective_rows.append(
                (index, self[f"objective_{index}_en"], self[f"objective_{index}_fr"])
            )

    def clean(self):
        cleaned = super().clean()
        pairs = []
        for _number, field_en, field_fr in self.objective_rows:
            text_en = (cleaned.get(field_en.name) or "").strip()
            text_fr = (cleaned.get(field_fr.name) or "").strip()
            if text_en and not text_fr:
                self.add_error(field_fr.name, _("Give this objective in French too."))
            elif text_fr and not text_en:
                self.add_error(field_en.name, _("Give this objective in English too."))
            elif text_en:
                pairs.append((text_en, text_fr))
        cleaned["objectives"] = pairs
        return cleaned

    def page_values(self) -> dict:
        from .services import PAGE_FIELDS

        return {name: self.cleaned_data[name] for name in PAGE_FIELDS}


class OrganizationAddForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        empty_label=_("Choose an organization"),
        error_messages={
            "required": _("Choose the organization to add."),
            "invalid_choice": _("Choose an organization from the list."),
        },
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = order_by_name(
            Organization.objects.exclude(community_links__community=community), "name"
        )
