"""The search page's form: the words, the kinds of result and a community."""

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from cssp_portal.forms import NamedModelChoiceField

from .sources import TYPES


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the portal"), max_length=200, required=False)
    type = forms.MultipleChoiceField(
        label=_("Type"),
        choices=list(TYPES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    community = NamedModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("All communities"),
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["community"].queryset = communities
