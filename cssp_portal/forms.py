from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every Django form renders with the portal's accessible layout: an error summary that
    links to each field, and each field's errors next to it, tied by aria-describedby."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
