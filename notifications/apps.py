from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Every app's kinds.py registers its notification kinds (see notifications/kinds.py).
        autodiscover_modules("kinds")
        # The sweeps' Celery tasks live beside the services they call (periodic.py), not in
        # tasks.py, which Celery's autodiscovery imports: import them so workers know them.
        from . import periodic  # noqa: F401
