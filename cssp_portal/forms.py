import html
from collections.abc import Callable, Iterable

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import SafeData, SafeString
from modeltranslation.utils import build_localized_fieldname, get_language

from cssp_portal.fragments import cache_call, content_digest

SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _escape(value) -> str:
    """conditional_escape without its lazy-string wrapper (called once per option): the same
    escaping (html.escape is what django.utils.html.escape calls)."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html, in the same order: True gives the bare name, False
    # leaves the attribute out.
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(context: dict) -> str:
    """Django's select.html, in Python: the same markup, without a template per option.

    A filter form with a few hundred options (communities, organizations, expertise areas)
    spent most of a page's time rendering option.html once per option (37 ms of the event
    list's 68, tests/bench), then in format_html's lazy-string wrappers (half of what was
    left): every value is escaped here with html.escape, as Django's escape does."""
    widget = context["widget"]
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{_escape(group_name)}">')
        parts.extend(
            f'<option value="{_escape(o["value"])}"{_attrs(o["attrs"])}>{_escape(o["label"])}'
            "</option>"
            for o in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    # Every value in the parts was escaped above.
    return SafeString("".join(parts))


# Django's widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def render_input(context: dict) -> str:
    """Django's input.html (and attrs.html), in Python: the same markup, without two template
    renders per field (a form's text, date and checkbox fields)."""
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(value)}"'
    return SafeString(
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


# Django's radio and checkbox lists (both nothing but multiple_input.html), and the option
# templates render_multiple_input writes as Django's input_option.html does.
MULTIPLE_INPUT_TEMPLATES = frozenset(
    {"django/forms/widgets/radio.html", "django/forms/widgets/checkbox_select.html"}
)
_INPUT_OPTION_TEMPLATES = frozenset(
    {"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"}
)


def _input_option(option: dict) -> str:
    # radio_option.html (or checkbox_option.html) around input_option.html around input.html,
    # with each one's line end.
    value = option["value"]
    shown = "" if value is None else f' value="{_escape(value)}"'
    tag = (
        f'<input type="{_escape(option["type"])}" name="{_escape(option["name"])}"{shown}'
        f"{_attrs(option['attrs'])}>\n"
    )
    if not option["wrap_label"]:
        return tag + "\n\n"
    label_id = option["attrs"].get("id")
    label_for = f' for="{_escape(label_id)}"' if label_id else ""
    return f"<label{label_for}>{tag} {_escape(option['label'])}</label>\n\n"


def render_multiple_input(context: dict) -> str | None:
    """Django's multiple_input.html (a list of radio buttons or checkboxes) with each option's
    input_option.html, in Python: the same markup, without four template renders per option
    (the event page's choice of how to attend, RegistrationForm: 1.08 -> 0.42 ms a render).
    None when an option has a template of its own (rendered as usual)."""
    widget = context["widget"]
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_escape(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_escape(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_escape(group)}</label>")
        for option in options:
            if option["template_name"] not in _INPUT_OPTION_TEMPLATES:
                return None
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    # (the renderer strips what a template gives, here the file's last line end)
    parts.append("\n</div>")
    # Every value in the parts was escaped above.
    return SafeString("".join(parts))


class PortalFormRenderer(TemplatesSetting):
    """Every Django form renders with the portal's accessible layout: an error summary that
    links to each field, and each field's errors next to it, tied by aria-describedby."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return render_select(context)
        if template_name in INPUT_TEMPLATES:
            return render_input(context)
        if template_name in MULTIPLE_INPUT_TEMPLATES:
            rendered = render_multiple_input(context)
            if rendered is not None:
                return rendered
        return super().render(template_name, context, request=request)


class _LabelChoiceIterator(ModelChoiceIterator):
    """The options from (pk, label columns) rows: no model instance is built per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.options is not None:
            yield from self.field.options
            return
        label = self.field.label_from_row
        for pk, *values in option_rows(self.queryset, self.field.label_fields):
            yield (pk, label(*values))


def option_rows(queryset: QuerySet, label_fields: Iterable[str] = ("name",)) -> QuerySet:
    """`queryset` as the rows NamedModelChoiceField makes its options of: (pk, *label columns),
    each translated column read in the page's language straight from its own column (name_fr):
    the portal has no fallback language, so this is what the model's attribute gives, without
    modeltranslation's rewriting of every row. Built in the page's language, it can be compiled
    once per language (cssp_portal.precompiled) and its rows given to
    NamedModelChoiceField.choose_from."""
    language = get_language()
    columns = [
        build_localized_fieldname(name, language)
        if _has_field(queryset.model, build_localized_fieldname(name, language))
        else name
        for name in label_fields
    ]
    if hasattr(queryset, "rewrite"):
        queryset = queryset.rewrite(False)
    return queryset.values_list("pk", *columns)


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class NamedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are read as (pk, name) rows, for the filter forms'
    lists of communities, organizations and expertise areas: building a translated model
    instance per option cost a filter form ~3 ms per list of a hundred (tests/bench). What it
    cleans to is still the model instance, read with the queryset as usual.

    `label_fields` are the columns the label is made of (the translated `name` by default,
    read in the page's language), `label_from_row` makes the label from their values; they
    must say what the model's __str__ says.

    `options`, set by `choose_from`, is the list of (pk, label) the queryset would give, read
    another way (the rows of `option_rows(queryset)` compiled once, cssp_portal.precompiled):
    the options are then not read from the queryset, which still cleans a submitted value."""

    options: list[tuple[int, str]] | None = None

    iterator = _LabelChoiceIterator

    def __init__(
        self,
        *args,
        label_fields: tuple[str, ...] = ("name",),
        label_from_row: Callable[..., str] | None = None,
        **kwargs,
    ):
        self.label_fields = label_fields
        self.label_from_row = label_from_row or (lambda *values: str(values[0]))
        super().__init__(*args, **kwargs)

    def choose_from(self, queryset: QuerySet, rows: Iterable[tuple] | None = None) -> None:
        """Offer `queryset` (which cleans a chosen value), with `rows`, the same as
        `option_rows(queryset)` read another way, as the options (None: read from the
        queryset)."""
        self.queryset = queryset
        if rows is not None:
            label = self.label_from_row
            self.options = [(pk, label(*values)) for pk, *values in rows]


# --- Filter forms' fields, kept rendered ---------------------------------------------------------


def kept_fields(form, skip: Iterable[str] = ()) -> SafeString:
    """The visible fields of a filter form (each `as_field_group`), but those named in `skip`,
    kept rendered under a digest of everything they show: the form's class, each field's
    name, label, help text, value, errors and choices, and the language. The choices are read
    once (the same query the markup would run) and the digest taken from them: a community,
    organization or expertise area added or renamed gives another digest. Rendering a
    directory's five filters took about 2.3 ms (tests/bench); a cache outage renders them."""
    fields = [bound for bound in form.visible_fields() if bound.name not in skip]
    # Each choice field's options, read once. iter(): a model field's choices have a len() that
    # counts the rows in a query.
    choices = {
        bound.name: list(iter(bound.field.choices))
        for bound in fields
        if isinstance(bound.field, forms.ChoiceField)
    }
    shown = (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        get_language(),
        tuple(
            (
                bound.name,
                str(bound.label),
                str(bound.help_text),
                str(bound.value()),
                tuple(str(error) for error in bound.errors),
                tuple((str(value), str(label)) for value, label in choices.get(bound.name, ())),
            )
            for bound in fields
        ),
    )
    key = f"form-fields:{content_digest([shown])}"
    seconds = settings.FRAGMENT_CACHE_SECONDS
    kept = cache_call("get", key, what="filter fields") if seconds else None
    if kept is not None:
        return SafeString(kept)
    # Rendered with the options just read (no second query). Only on a miss: setting a field's
    # choices normalizes them, twice (the field's and its widget's), a few hundred options.
    for bound in fields:
        if bound.name in choices:
            bound.field.choices = choices[bound.name]
    # Each part is a field group rendered by its template (escaped there).
    markup = SafeString("".join(bound.as_field_group() for bound in fields))
    if seconds:
        cache_call("set", key, str(markup), seconds, what="filter fields")
    return markup
