# Real processes for the delivery and fault tests: a throwaway broker, an SMTP sink and workers.
from tests.notifications.processes import (  # noqa: F401
    broker,
    postgres_cluster,
    smtp_sink,
    workers,
)
