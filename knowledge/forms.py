from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import PROTECTED_VISIBILITY_ERROR, Resource, Sensitivity
from .services import library as library_services

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italics*, lists with -, links as [text](https://…). "
    "Mention a member with @ and their email address."
)


class AnnouncementForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    body_en = forms.CharField(
        label=_("Text (English)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italics*, lists with -, links as [text](https://…)."),
    )
    body_fr = forms.CharField(
        label=_("Text (French)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["communities"] = forms.ModelMultipleChoiceField(
                label=_("Communities"),
                help_text=_("The communities you lead that receive this announcement."),
                queryset=communities,
                widget=forms.CheckboxSelectMultiple,
            )
            self.order_fields(["communities"])


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the leads look at this message?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommunityChoiceForm(forms.Form):
    """Move a thread to, or share it with, other communities."""

    def __init__(self, *args, queryset, multiple: bool, label, **kwargs):
        super().__init__(*args, **kwargs)
        if multiple:
            self.fields["communities"] = forms.ModelMultipleChoiceField(
                label=label, queryset=queryset, widget=forms.CheckboxSelectMultiple
            )
        else:
            self.fields["community"] = forms.ModelChoiceField(label=label, queryset=queryset)


class FolderForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_fr = forms.CharField(
        label=_("Description (French)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _upload_help():
    return _("At most %(size)s. Accepted types: %(types)s.") % {
        "size": filesizeformat(library_services.MAX_UPLOAD_BYTES),
        "types": library_services.allowed_extensions(),
    }


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            library_services.upload_check(upload)
        return upload


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        choices=Resource.Kind.choices,
        widget=forms.RadioSelect,
        initial=Resource.Kind.DOCUMENT,
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=255)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=255)
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_fr = forms.CharField(
        label=_("Description (French)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = UploadField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("Address of the link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For a link only: the full address, starting with https://"),
    )
    sensitivity = forms.ChoiceField(
        label=_("Security marking"),
        choices=Sensitivity.choices,
        initial=Sensitivity.UNCLASSIFIED,
        help_text=_("Protected B and classified information must not be posted above its marking."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Resource.Visibility.choices,
        initial=Resource.Visibility.COMMUNITY,
        widget=forms.RadioSelect,
        help_text=_("Protected A and Protected B items are for the members of the community only."),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _upload_help()
        if editing:
            del self.fields["kind"]
            del self.fields["file"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Resource.Kind.DOCUMENT and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose a file to upload."))
        if kind == Resource.Kind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Enter the address of the link."))
        if (
            data.get("sensitivity", Sensitivity.UNCLASSIFIED) != Sensitivity.UNCLASSIFIED
            and data.get("visibility")
            and data.get("visibility") != Resource.Visibility.COMMUNITY
        ):
            # The same rule as the model's constraint, said beside the field (never a 500).
            self.add_error("visibility", ValidationError(PROTECTED_VISIBILITY_ERROR))
        return data


class VersionForm(forms.Form):
    file = UploadField(label=_("New version of the file"))
    note = forms.CharField(label=_("What changed (optional)"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _upload_help()
