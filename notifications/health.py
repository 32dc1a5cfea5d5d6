"""The email outbox's check behind /healthz (cssp_portal/health.py lists it): no immediate
email is overdue by more than the time to drain the largest fan-out plus the time to notice a
lost task; its report carries the oldest pending email's age."""

import dataclasses

from django.conf import settings
from django.utils.translation import gettext as _
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from cssp_portal.health import closing_connection

from . import outbox


@dataclasses.dataclass
class Outbox(HealthCheck):
    """The email outbox keeps up: no immediate email is overdue by more than the time to drain
    the largest fan-out plus the time to notice a lost task."""

    @closing_connection
    def run(self):
        self.report = status = outbox.outbox_status()
        conf = settings.NOTIFICATIONS
        limit = conf["DRAIN_SECONDS"] + conf["LOST_TASK_SECONDS"]
        if status["overdue_seconds"] > limit:
            raise ServiceUnavailable(
                _("emails are %(seconds)d seconds overdue") % {"seconds": status["overdue_seconds"]}
            )
