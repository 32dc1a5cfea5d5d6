from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Curated records keep a visible change history in the admin.
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Event, m2m_fields={"co_hosts", "organizations"})
        auditlog.register(models.CoHosting)
        auditlog.register(models.EventOutcome)
        auditlog.register(models.Registration)
