from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Community, Organization
from cssp_portal import uploads
from cssp_portal.collation import order_by_name, ordering, person_ordering
from cssp_portal.forms import NamedModelChoiceField
from cssp_portal.params import limit_dates
from members.models import User

from .models import Call, CallDocument, CapabilityGap, Project, Proposal


class GapForm(forms.ModelForm):
    """Both languages side by side (the template pairs the _en and _fr fields); status and
    rank only for the community's leads."""

    class Meta:
        model = CapabilityGap
        fields = [
            "kind",
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
            "status",
            "rank",
        ]
        labels = {
            "title_en": _("Title in English"),
            "title_fr": _("Title in French"),
            "description_en": _("Description in English"),
            "description_fr": _("Description in French"),
        }
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 6, "lang": "en"}),
            "description_fr": forms.Textarea(attrs={"rows": 6, "lang": "fr"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
        }

    def __init__(self, *args, lead: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True
        self.fields["title_fr"].required = True
        if not lead:
            del self.fields["status"]
            del self.fields["rank"]

    def bilingual_pairs(self):
        return [
            (self["title_en"], self["title_fr"]),
            (self["description_en"], self["description_fr"]),
        ]

    def other_fields(self):
        return [self[name] for name in ("kind", "status", "rank") if name in self.fields]


class GapCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class GapFilterForm(forms.Form):
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("rank", _("Leads' order")), ("votes", _("Most votes"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("status filter", "All")), *CapabilityGap.Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", pgettext_lazy("kind filter", "All")), *CapabilityGap.Kind.choices],
    )


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = [
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
            "eligibility_en",
            "eligibility_fr",
            "year",
            "opens_at",
            "closes_at",
            "communities",
            "priorities",
        ]
        labels = {
            "title_en": _("Title in English"),
            "title_fr": _("Title in French"),
            "description_en": _("Description in English"),
            "description_fr": _("Description in French"),
            "eligibility_en": _("Eligibility in English"),
            "eligibility_fr": _("Eligibility in French"),
        }
        help_texts = {
            "opens_at": _("Date and time, Eastern time, e.g. 2027-01-15 12:00."),
            "closes_at": _("Proposals are refused from this moment on."),
        }
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 8, "lang": "en"}),
            "description_fr": forms.Textarea(attrs={"rows": 8, "lang": "fr"}),
            "eligibility_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "eligibility_fr": forms.Textarea(attrs={"rows": 4, "lang": "fr"}),
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "communities": forms.CheckboxSelectMultiple,
            "priorities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self)
        for name in ("title_en", "title_fr", "description_en", "description_fr"):
            self.fields[name].required = True
        self.fields["communities"].queryset = order_by_name(Community.objects.active(), "name")
        self.fields["priorities"].queryset = order_by_name(
            CapabilityGap.objects.select_related("community"), "community__name", "rank", "title"
        )
        self.fields["priorities"].label_from_instance = lambda gap: (
            f"{gap.community.name} – {gap.title}"
        )

    def bilingual_pairs(self):
        return [
            (self["title_en"], self["title_fr"]),
            (self["description_en"], self["description_fr"]),
            (self["eligibility_en"], self["eligibility_fr"]),
        ]

    def other_fields(self):
        return [
            self[name] for name in ("year", "opens_at", "closes_at", "communities", "priorities")
        ]


GOVERNMENT = ("federal", "provincial_territorial", "municipal", "indigenous")


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "title",
            "summary",
            "objectives",
            "lead_department",
            "partners",
            "communities",
            "gaps",
            "requested_funding",
            "duration_months",
        ]
        help_texts = {
            "partners": _(
                "Other levels of government, industry, academia. Hold Ctrl (Cmd on a Mac) to "
                "choose several."
            ),
            "gaps": _("The gaps and priorities of the chosen communities that it addresses."),
            "requested_funding": _("In Canadian dollars."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "objectives": forms.Textarea(attrs={"rows": 6}),
            "communities": forms.CheckboxSelectMultiple,
            "gaps": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user=None, visible_communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["lead_department"].queryset = order_by_name(
            Organization.objects.filter(sector__in=GOVERNMENT), "name"
        )
        self.fields["lead_department"].required = False
        self.fields["partners"].queryset = order_by_name(Organization.objects.all(), "name")
        communities = visible_communities if visible_communities is not None else Community.objects
        self.fields["communities"].queryset = order_by_name(communities.active(), "name")
        self.fields["gaps"].queryset = (
            CapabilityGap.objects.filter(
                community__in=self.fields["communities"].queryset.values("pk")
            )
            .select_related("community")
            .order_by(*ordering(CapabilityGap, "community__name", "rank", "title"))
        )
        self.fields["gaps"].label_from_instance = lambda gap: f"{gap.community.name} – {gap.title}"

    def split(self) -> tuple[dict, dict]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.M2M}
        m2m = {k: v for k, v in self.cleaned_data.items() if k in self.M2M}
        return data, m2m

    M2M = ("partners", "communities", "gaps")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Accepted types: %(types)s. At most 10 MB.")
        % {"types": uploads.allowed_extensions()},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.safe_name, self.content_type = uploads.validate_upload(upload)
        return upload


class CallDocumentForm(AttachmentForm):
    title = forms.CharField(
        label=_("Title of the document"),
        max_length=255,
        required=False,
        help_text=_("The file name is shown when this is left empty."),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"), choices=CallDocument.Language.choices
    )

    field_order = ["title", "language", "file"]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Proposal.Status.choices)
    comment = forms.CharField(
        label=_("Comment (kept in the history)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("Message to the portfolio manager (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    manager = forms.ModelChoiceField(
        label=_("Portfolio manager"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = (
            User.objects.filter(is_active=True)
            .filter(
                groups__permissions__codename="act_as_portfolio_manager",
            )
            .distinct()
            .order_by(*person_ordering())
        )


class DashboardFilterForm(forms.Form):
    community = NamedModelChoiceField(
        label=_("Community"),
        required=False,
        queryset=Community.objects.order_by("name"),
        empty_label=pgettext_lazy("community filter", "All"),
    )
    call = NamedModelChoiceField(
        label=_("Call for proposals"),
        required=False,
        label_fields=("title",),
        queryset=Call.objects.order_by("-opens_at", "pk"),
        empty_label=pgettext_lazy("call filter", "All"),
    )

    def __init__(self, *args, community_options=None, call_options=None, **kwargs):
        """`community_options`, `call_options`: the lists' option rows read once
        (selectors.dashboard_filter_choices), or None to read them from the querysets."""
        super().__init__(*args, **kwargs)
        # In the page's language: a queryset ordered at import would keep the English order.
        self.fields["community"].choose_from(
            order_by_name(Community.objects.all(), "name", "pk"), community_options
        )
        self.fields["call"].choose_from(self.fields["call"].queryset, call_options)


class ProposalFilterForm(DashboardFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("status filter", "All")), *Proposal.Status.choices[1:]],
    )


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("status filter", "All")), *Project.Status.choices],
    )
    community = NamedModelChoiceField(
        label=_("Community"),
        required=False,
        queryset=Community.objects.none(),
        empty_label=pgettext_lazy("community filter", "All"),
    )

    def __init__(self, *args, years=(), communities=None, community_options=None, **kwargs):
        """`years`: the register's years, newest first; `communities`: those a community may
        be chosen from (a queryset, which cleans the value); `community_options`: the same as
        (pk, name) options, read once by the view (selectors.register_filter_choices)."""
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", pgettext_lazy("year filter", "All"))] + [
            (y, y) for y in years
        ]
        if communities is not None:
            self.fields["community"].choose_from(communities, community_options)
