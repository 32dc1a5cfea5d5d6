import datetime

from django import forms
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from . import kinds
from .models import DigestSchedule, Frequency, Weekday, time_zone_choices

FOLLOW_GENERAL = ""


def _hour_choices():
    return [(hour, time_format(datetime.time(hour), "TIME_FORMAT")) for hour in range(24)]


class PreferencesForm(forms.Form):
    """One choice per kind of email, optional per-community choices, and the digest schedule.

    Field names: `general-<kind>` and `community-<id>-<kind>` (dots in kind codes become
    underscores so that the ids make plain fragment identifiers for the error summary)."""

    hour = forms.TypedChoiceField(
        label=_("Time of my digests"),
        coerce=int,
        help_text=_("Daily digests go out every day at this time; weekly ones on the day below."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of my weekly digest"), coerce=int, choices=Weekday.choices
    )
    time_zone = forms.ChoiceField(label=_("My time zone"), choices=time_zone_choices)

    def __init__(self, *args, communities, preferences, schedule: DigestSchedule, **kwargs):
        initial = {"hour": schedule.hour, "weekday": schedule.weekday}
        initial["time_zone"] = schedule.time_zone
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["hour"].choices = _hour_choices()
        self.communities = list(communities)
        chosen = {(p.kind, p.community_id): p.frequency for p in preferences}
        self.general_names = []
        self.community_names: list[tuple] = []
        for kind in kinds.optional_kinds():
            name = f"general-{self._slug(kind)}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Frequency.choices,
                initial=chosen.get((kind.code, None), kind.default),
            )
            self.general_names.append((name, kind))
        for community in self.communities:
            names = []
            for kind in kinds.optional_kinds():
                name = f"community-{community.pk}-{self._slug(kind)}"
                self.fields[name] = forms.ChoiceField(
                    label=kind.label,
                    required=False,
                    choices=[(FOLLOW_GENERAL, _("As in my general choice")), *Frequency.choices],
                    initial=chosen.get((kind.code, community.pk), FOLLOW_GENERAL),
                )
                names.append((name, kind))
            self.community_names.append((community, names))
        # Schedule fields come last on the page; keep the error summary in page order.
        self.order_fields(
            [name for name, _kind in self.general_names]
            + [name for _c, names in self.community_names for name, _kind in names]
            + ["hour", "weekday", "time_zone"]
        )

    @staticmethod
    def _slug(kind) -> str:
        return kind.code.replace(".", "_")

    def general_fields(self):
        return [self[name] for name, _kind in self.general_names]

    def community_sections(self):
        return [
            (community, [self[name] for name, _kind in names])
            for community, names in self.community_names
        ]

    def schedule_fields(self):
        return [self["hour"], self["weekday"], self["time_zone"]]

    def choices(self):
        """(general, per_community) as `services.preferences_save` takes them."""
        general = {kind.code: self.cleaned_data[name] for name, kind in self.general_names}
        per_community = {
            (kind.code, community.pk): self.cleaned_data[name]
            for community, names in self.community_names
            for name, kind in names
        }
        return general, per_community
