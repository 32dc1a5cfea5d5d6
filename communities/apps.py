from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities of practice")

    def ready(self):
        # Curated records keep a visible change history in the admin.
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Organization)
        auditlog.register(models.Community, m2m_fields={"portfolio_managers"})
        auditlog.register(models.CommunityObjective)
        auditlog.register(models.CommunityOrganization)
        auditlog.register(models.Membership)
        auditlog.register(models.Invitation, exclude_fields=["token"])
