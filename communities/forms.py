from django import forms
from django.utils.translation import gettext_lazy as _


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the leads (optional)"),
        help_text=_("Say who you are and what you would bring to the community."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
