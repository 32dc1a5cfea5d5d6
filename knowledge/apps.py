from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Announcements, discussions, the resource library and the portal's search."""

    name = "knowledge"
    verbose_name = _("Knowledge sharing")
