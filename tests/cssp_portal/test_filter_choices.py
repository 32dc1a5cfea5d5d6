"""The filter forms' lists (cssp_portal/forms.py): options read as rows, rendered in Python,
must show what Django's own select template shows, in the page's language."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from communities.models import Organization
from cssp_portal.forms import NamedModelChoiceField, PortalFormRenderer
from tests.communities.factories import CommunityFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _field():
    return NamedModelChoiceField(
        queryset=Organization.objects.order_by("name_en"),
        required=False,
        empty_label="All",
        label_fields=Organization.LABEL_FIELDS,
        label_from_row=Organization.label,
    )


def test_options_are_the_models_names_in_the_page_language():
    OrganizationFactory(
        name_en="Public Safety Canada",
        name_fr="Sécurité publique Canada",
        acronym_en="PS",
        acronym_fr="SP",
    )
    OrganizationFactory(name_en="Toronto <Fire>", name_fr="Pompiers de Toronto")
    field = _field()
    with translation.override("fr"):
        labels = [label for _value, label in field.choices]
        assert labels == ["All", "Sécurité publique Canada (SP)", "Pompiers de Toronto"]
        assert labels[1:] == [str(o) for o in Organization.objects.order_by("name_en")]
    with translation.override("en"):
        assert [label for _value, label in field.choices][1:] == [
            "Public Safety Canada (PS)",
            "Toronto <Fire>",
        ]


def test_the_select_is_djangos_markup_with_every_value_escaped():
    chosen = OrganizationFactory(name_en='Toronto <Fire> & "Rescue"', acronym_en="")
    OrganizationFactory(name_en="Ottawa Police", acronym_en="OPS")
    widget = _field().widget
    widget.choices = _field().choices
    attrs = {"id": "id_organization", "aria-describedby": 'help "x"'}
    ours = widget.render("organization", str(chosen.pk), attrs, renderer=PortalFormRenderer())
    djangos = widget.render("organization", str(chosen.pk), attrs, renderer=DjangoTemplates())
    assert re.sub(r"\s+", "", ours) == re.sub(r"\s+", "", djangos)
    assert "Toronto &lt;Fire&gt; &amp; &quot;Rescue&quot;" in ours
    assert f'<option value="{chosen.pk}" selected>' in ours


def test_a_chosen_option_cleans_to_the_instance_and_an_unknown_one_is_refused():
    community = CommunityFactory()
    field = NamedModelChoiceField(queryset=type(community).objects.all(), required=False)
    assert field.clean(str(community.pk)) == community
    with pytest.raises(Exception, match="Select a valid choice"):
        field.clean("999999")


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(attrs={"maxlength": 200, "placeholder": 'Say "hi" & <go>'}), "a<b>&\"c'"),
        (forms.TextInput(), None),
        (forms.EmailInput(attrs={"required": True, "autofocus": False}), "x@example.gc.ca"),
        (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "2026-12-03"),
        (forms.NumberInput(attrs={"min": 0}), 5),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.HiddenInput(), "token<>"),
        (forms.PasswordInput(), "secret"),
        (forms.URLInput(), "https://example.gc.ca/?a=1&b=2"),
        (forms.FileInput(), None),
    ],
)
def test_inputs_are_djangos_markup_with_every_value_escaped(widget, value):
    attrs = {"id": "id_field", "aria-describedby": "id_field_helptext id_field_errors"}
    ours = widget.render("field", value, attrs, renderer=PortalFormRenderer())
    djangos = widget.render("field", value, attrs, renderer=DjangoTemplates())
    assert ours == djangos.strip()


class _ItsOwnOption(forms.RadioSelect):
    option_template_name = "django/forms/widgets/input.html"


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        # the event page's choice of how to attend
        (
            forms.RadioSelect(choices=[("in_person", "In person"), ("online", "Online")]),
            "online",
            {"id": "id_mode", "aria-describedby": "id_mode_errors"},
        ),
        (forms.RadioSelect(choices=[("a", 'Say "hi" & <go>'), ("b<", "B")]), "b<", {}),
        (
            forms.RadioSelect(choices=[(1, "One"), (2, "Two")]),
            None,
            {"id": "id_n", "class": "portal-radios", "disabled": True, "required": False},
        ),
        (
            forms.CheckboxSelectMultiple(choices=[("x", "X"), ("y", "Y"), ("z", "Z")]),
            ["x", "z"],
            {"id": "id_many"},
        ),
        # option groups
        (
            forms.CheckboxSelectMultiple(
                choices=[("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]
            ),
            ["b"],
            {"id": "id_g"},
        ),
        # an option template of its own is rendered by Django
        (_ItsOwnOption(choices=[("a", "A")]), "a", {"id": "id_own"}),
    ],
)
def test_radio_and_checkbox_lists_are_djangos_markup_with_every_value_escaped(widget, value, attrs):
    ours = widget.render("field", value, attrs, renderer=PortalFormRenderer())
    djangos = widget.render("field", value, attrs, renderer=DjangoTemplates())
    assert ours == djangos
