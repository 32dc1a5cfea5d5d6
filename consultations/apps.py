from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """Consultations of a community's members (or its core group) on drafts and questions, and
    the "what we heard" summaries that become part of the community's record."""

    name = "consultations"
    verbose_name = _("Consultations")
