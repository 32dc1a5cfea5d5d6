from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: what composes the feature apps (the home page, a community's page with its
    events, library and program panels, portal search, an organization's page, a person's data
    across every app, the CSSP seed). Nothing below imports it."""

    name = "portal"
    verbose_name = _("Portal")
