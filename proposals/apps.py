from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Program: gaps, calls, proposals and projects")

    def ready(self):
        # Curated records keep a visible change history in the admin.
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.CapabilityGap)
        auditlog.register(models.Call, m2m_fields={"communities", "priorities"})
        auditlog.register(models.Proposal)
        auditlog.register(models.Project, m2m_fields={"communities", "gaps", "events"})
        auditlog.register(models.ProjectOrganization)
