from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Language


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
