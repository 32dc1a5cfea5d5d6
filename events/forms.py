import re
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Community
from cssp_portal import uploads
from cssp_portal.forms import NamedModelChoiceField
from cssp_portal.params import limit_dates, validate_portal_date

from . import policies
from .models import Event, EventDocument, EventOutcome, Registration

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ZONED_FIELDS = ("start", "end", "registration_opens_at", "registration_closes_at")


class EventForm(forms.ModelForm):
    """Dates and times are typed as the event's local wall-clock time: they are read in the
    event's time zone, whatever the lead's own."""

    reminder_hours = forms.CharField(
        label=_("Reminders (hours before the start)"),
        help_text=_(
            "Registered people get an email this many hours before the event, for example "
            "“48, 2”. Leave empty for no reminder."
        ),
        required=False,
        initial="48, 2",
        max_length=40,
    )
    virtual_link = forms.URLField(
        label=capfirst(Event._meta.get_field("virtual_link").verbose_name),
        help_text=Event._meta.get_field("virtual_link").help_text,
        required=False,
        assume_scheme="https",
    )
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosting communities"),
        help_text=_(
            "Other communities organizing this event with yours. Their leads are asked first: "
            "the event appears in a community only once it accepts."
        ),
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            "title_en",
            "title_fr",
            "event_type",
            "format",
            "summary_en",
            "summary_fr",
            "description_en",
            "description_fr",
            "agenda_en",
            "agenda_fr",
            "time_zone",
            "start",
            "end",
            "venue_en",
            "venue_fr",
            "address",
            "city",
            "province",
            "virtual_link",
            "capacity_in_person",
            "capacity_virtual",
            "registration_opens_at",
            "registration_closes_at",
            "visibility",
            "co_hosts",
        ]
        labels = {
            "title_en": _("Title in English"),
            "title_fr": _("Title in French"),
            "summary_en": _("Summary in English"),
            "summary_fr": _("Summary in French"),
            "description_en": _("Description in English"),
            "description_fr": _("Description in French"),
            "agenda_en": _("Agenda in English"),
            "agenda_fr": _("Agenda in French"),
            "venue_en": _("Venue in English"),
            "venue_fr": _("Venue in French"),
            "start": _("Start (local time of the event)"),
            "end": _("End (local time of the event)"),
            "registration_opens_at": _("Registration opens (optional)"),
            "registration_closes_at": _("Registration closes (optional)"),
            "capacity_in_person": _("In-person seats"),
            "capacity_virtual": _("Virtual seats"),
        }
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "summary_fr": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
            "description_fr": forms.Textarea(attrs={"rows": 5}),
            "agenda_en": forms.Textarea(attrs={"rows": 5}),
            "agenda_fr": forms.Textarea(attrs={"rows": 5}),
            "start": LOCAL_DATETIME,
            "end": LOCAL_DATETIME,
            "registration_opens_at": LOCAL_DATETIME,
            "registration_closes_at": LOCAL_DATETIME,
        }

    def __init__(self, *args, community: Community, by, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self)
        for name in ("title_en", "title_fr", "summary_en", "summary_fr"):
            self.fields[name].required = True
        # Only what the lead may name: a members-only community they cannot see is not offered
        # (and a posted id outside these is refused as an invalid choice).
        self.fields["co_hosts"].queryset = policies.co_host_choices(
            by, community, self.instance if self.instance.pk else None
        )
        for name in ZONED_FIELDS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            self.fields[name].help_text = _("Format: YYYY-MM-DD HH:MM (24-hour clock).")
        if self.instance.pk:
            zone = self.instance.zone
            for name in ZONED_FIELDS:
                value = getattr(self.instance, name)
                if value:
                    # A naive wall-clock time is shown as is (not converted to the server's zone).
                    self.initial[name] = value.astimezone(zone).replace(tzinfo=None)
            self.initial["reminder_hours"] = ", ".join(
                str(hours)
                for hours in self.instance.reminders.values_list("hours_before", flat=True)
            )

    def clean_reminder_hours(self):
        text = self.cleaned_data["reminder_hours"].strip()
        if not text:
            return []
        hours = []
        for part in re.split(r"[\s,;]+", text):
            if not part.isdigit() or not 1 <= int(part) <= 24 * 30:
                raise ValidationError(
                    _("Give whole numbers of hours between 1 and 720, separated by commas.")
                )
            hours.append(int(part))
        if len(set(hours)) > 5:
            raise ValidationError(_("Choose at most five reminders."))
        return sorted(set(hours), reverse=True)

    def clean(self):
        cleaned = super().clean()
        try:
            zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or "America/Toronto")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return cleaned
        for name in ZONED_FIELDS:
            value = cleaned.get(name)
            if value:
                # Django read the wall-clock time in the server's zone; read it in the event's.
                cleaned[name] = timezone.make_naive(value).replace(tzinfo=zone)
        return cleaned


class RegistrationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How will you attend?"),
        choices=Registration.Mode.choices,
        widget=forms.RadioSelect,
    )


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=[
            ("all", _("Everyone registered, including the waitlist")),
            ("confirmed", _("Confirmed attendees only")),
            ("waitlisted", _("The waitlist only")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


class OutcomeForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Publish the outcomes on the event and community pages"), required=False
    )

    class Meta:
        model = EventOutcome
        fields = [
            "summary_en",
            "summary_fr",
            "key_takeaways_en",
            "key_takeaways_fr",
            "recommendations_en",
            "recommendations_fr",
        ]
        labels = {
            "summary_en": _("Summary in English"),
            "summary_fr": _("Summary in French"),
            "key_takeaways_en": _("Key takeaways in English"),
            "key_takeaways_fr": _("Key takeaways in French"),
            "recommendations_en": _("Recommendations in English"),
            "recommendations_fr": _("Recommendations in French"),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary_en"].required = True
        self.fields["summary_fr"].required = True
        self.initial.setdefault("publish", self.instance.is_published)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = EventDocument
        fields = ["title_en", "title_fr", "file"]
        labels = {
            "title_en": _("Document title in English"),
            "title_fr": _("Document title in French"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True
        self.fields["title_fr"].required = True
        self.fields["file"].help_text = _("At most %(size)s. Accepted types: %(types)s.") % {
            "size": filesizeformat(uploads.MAX_SIZE),
            "types": uploads.allowed_extensions(),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Type by name and first bytes, size, and a safe name (kept to name the download).
        self.instance.original_name, self.instance.content_type = uploads.validate_upload(upload)
        return upload


class EventFilterForm(forms.Form):
    community = NamedModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )
    mine = forms.BooleanField(label=_("Only my communities"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *Event.Type.choices], required=False
    )
    start = forms.DateField(
        label=pgettext_lazy("date filter", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_portal_date],
    )
    end = forms.DateField(
        label=pgettext_lazy("date filter", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_portal_date],
    )

    def __init__(
        self, *args, communities, community_options=None, signed_in: bool = True, **kwargs
    ):
        """`communities`: those a community may be chosen from (cleans the value);
        `community_options`: the same as option rows read once (community_choices in
        communities/selectors.py), or None to read them from `communities`."""
        super().__init__(*args, **kwargs)
        self.fields["community"].choose_from(communities, community_options)
        self.fields["community"].empty_label = _("All communities")
        if not signed_in:
            del self.fields["mine"]
