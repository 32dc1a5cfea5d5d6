from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cssp_portal"
    verbose_name = "CSSP portal"
