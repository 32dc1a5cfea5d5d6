from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html, in the same order: True gives the bare name, False
    # leaves the attribute out.
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def render_select(context: dict) -> str:
    """Django's select.html, in Python: the same markup, without a template per option.

    A filter form with a few hundred options (communities, organizations, expertise areas)
    spent most of a page's time rendering option.html once per option (37 ms of the event
    list's 68, tests/bench)."""
    widget = context["widget"]
    parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.append(
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), _attrs(o["attrs"]), o["label"]) for o in options),
            )
        )
        if group_name:
            parts.append(SafeString("</optgroup>"))
    parts.append(SafeString("</select>"))
    # Every part is already safe (format_html escaped each value): joined without escaping.
    return format_html_join("", "{}", ((part,) for part in parts))


class PortalFormRenderer(TemplatesSetting):
    """Every Django form renders with the portal's accessible layout: an error summary that
    links to each field, and each field's errors next to it, tied by aria-describedby."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return render_select(context)
        return super().render(template_name, context, request=request)
