from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Announcements, discussions, the resource library and the portal's search."""

    name = "knowledge"
    verbose_name = _("Knowledge sharing")

    def ready(self):
        # Moderation and library changes keep a visible history in the admin.
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Announcement, m2m_fields={"communities"})
        auditlog.register(
            models.Thread, include_fields=["community", "pinned", "locked", "hidden_at"]
        )
        auditlog.register(models.Post, include_fields=["hidden_at", "hidden_by"])
        auditlog.register(models.Folder)
        auditlog.register(models.Resource)
