"""The CPSEN Resource Centre: one portal-wide page of the tools, protocols and documents that
communities published beyond their own members.

Read-only over `knowledge.policies.resource_centre_resources` (public or all-signed-in-members
resources the viewer may open, never a Protected item), filtered and paginated.
"""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Community
from communities.selectors import communities_visible_to
from cssp_portal.collation import order_by_name
from cssp_portal.forms import NamedModelChoiceField
from cssp_portal.params import id_or_none, validate_portal_date

from . import policies
from .models import Resource

RESOURCES_PER_PAGE = 25


class ResourceCentreFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A word from the title or the description, in English or French."),
    )
    community = NamedModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Resource.Kind.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("The working language of the community that published it."),
        choices=[("", _("English or French")), ("en", _("English")), ("fr", _("French"))],
    )
    start = forms.DateField(
        label=pgettext_lazy("date filter", "From"),
        required=False,
        help_text=_("Added or updated on or after this date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_portal_date],
    )
    end = forms.DateField(
        label=pgettext_lazy("date filter", "To"),
        required=False,
        help_text=_("Added or updated on or before this date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_portal_date],
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = _("All communities")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        return cleaned


def _filtered(resources, filters: dict):
    from django.db.models import Q

    for word in filters.get("q", "").split()[:8]:
        resources = resources.filter(
            Q(title_en__icontains=word)
            | Q(title_fr__icontains=word)
            | Q(description_en__icontains=word)
            | Q(description_fr__icontains=word)
        )
    if filters.get("community"):
        resources = resources.filter(folder__community=filters["community"])
    if filters.get("kind"):
        resources = resources.filter(kind=filters["kind"])
    if filters.get("language"):
        resources = resources.filter(
            folder__community__working_languages__in=[
                filters["language"],
                Community.WorkingLanguages.BOTH,
            ]
        )
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    if filters.get("start"):
        resources = resources.filter(
            updated_at__gte=datetime.datetime.combine(filters["start"], datetime.time.min, zone)
        )
    if filters.get("end"):
        resources = resources.filter(
            updated_at__lt=datetime.datetime.combine(
                filters["end"] + datetime.timedelta(days=1), datetime.time.min, zone
            )
        )
    return resources


def resource_centre(request):
    form = ResourceCentreFilterForm(
        request.GET or None,
        communities=order_by_name(communities_visible_to(request.user), "name"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    resources = _filtered(policies.resource_centre_resources(request), filters)
    page = Paginator(
        resources.select_related("folder__community", "current_version").order_by(
            "-updated_at", "pk"
        ),
        RESOURCES_PER_PAGE,
    ).get_page(id_or_none(request.GET.get("page")) or 1)
    return render(
        request,
        "knowledge/resource_centre.html",
        {
            "form": form,
            "page": page,
            "resources": page.object_list,
            "filtered": bool(filters),
        },
    )
