from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cssp_portal"
    verbose_name = "CSSP portal"

    def ready(self):
        # Registers the ICU collations' names on SQLite connections (the embedded default),
        # and `field__any=[...]` (one array of values, cssp_portal/lookups.py).
        from . import collation, lookups  # noqa: F401
